# Aviary's controller image. Build the jar first (./mvnw -B -DskipTests -pl controller-app -am package),
# then: docker build -t ghcr.io/aviary-dev/aviary:0.1.0 .
# The chart in helm/aviary runs it read-only, as user 10001, with /tmp as its only writable place.

FROM eclipse-temurin:17-jre-jammy AS layers
WORKDIR /build
COPY controller-app/target/aviary.jar aviary.jar
# Spring Boot's layered jar: dependencies change less often than Aviary's own classes
RUN java -Djarmode=tools -jar aviary.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre-jammy
RUN groupadd --system --gid 10001 aviary \
 && useradd --system --uid 10001 --gid aviary --home-dir /app --shell /usr/sbin/nologin aviary
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
USER 10001:10001
EXPOSE 8080
# no database configured → an embedded PostgreSQL in /tmp (a laptop only); in Kubernetes the chart
# sets AVIARY_DB_URL and the rest
ENV AVIARY_EMBEDDED_DB_DIR=/tmp/aviary/pg \
    AVIARY_BOOTSTRAP_TOKEN_FILE=/tmp/aviary/admin-token \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
