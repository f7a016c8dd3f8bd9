{{- define "aviary.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "aviary.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "aviary.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "aviary.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "aviary.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aviary.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "aviary.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "aviary.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "aviary.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "aviary.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Whether the chart makes the Secret: only when the password is given in the values. */}}
{{- define "aviary.chartSecret" -}}
{{- if .Values.database.password -}}true{{- end -}}
{{- end -}}

{{/* The Secret holding the database password, bootstrap token and encryption key. */}}
{{- define "aviary.secretName" -}}
{{- if include "aviary.chartSecret" . -}}
{{- include "aviary.fullname" . -}}
{{- else -}}
{{- required "database.existingSecret or database.password is required" .Values.database.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* Whether the Secret may carry a key for this optional setting: an existing Secret always may. */}}
{{- define "aviary.hasSecretKey" -}}
{{- if not (include "aviary.chartSecret" .root) -}}true{{- else if .value -}}true{{- end -}}
{{- end -}}

{{/* The rules the router adapters need: read and patch the objects they steer, no more. */}}
{{- define "aviary.rbacRules" -}}
{{- if .Values.rbac.gatewayApi }}
# the Gateway API adapter reads an HTTPRoute and patches its backendRefs' weights
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes"]
  verbs: ["get", "patch"]
{{- end }}
{{- if .Values.rbac.istio }}
# the Istio adapter reads a VirtualService and patches its route weights
- apiGroups: ["networking.istio.io"]
  resources: ["virtualservices"]
  verbs: ["get", "patch"]
{{- end }}
{{- end -}}
