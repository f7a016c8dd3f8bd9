package dev.aviary.controller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

/**
 * Feature boundaries, checked by Spring Modulith: every top-level package of the controller is a
 * module (a new feature is one at once), modules form no cycle, depend only on the modules their
 * {@code package-info} allows, and reach only another module's API — its top-level package and its
 * named interfaces, never its insides.
 */
class ModulesTest {

  private static final ApplicationModules MODULES = ApplicationModules.of(AviaryApplication.class);

  private static final JavaClasses APP =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.aviary.controller");

  @Test
  void everyFeatureIsAModuleAndKeepsItsBoundaries() {
    assertThat(MODULES.stream().map(ApplicationModule::getIdentifier).map(Object::toString))
        .containsExactlyInAnyOrder(
            "analysis",
            "backtest",
            "judgement",
            "notify",
            "parallelrun",
            "dashboard",
            "freeze",
            "plan",
            "platform",
            "rollout",
            "routing",
            "security");
    MODULES.verify();
  }

  /** Types a Spring or JPA runtime, not code, uses from elsewhere; public by necessity. */
  private static final Set<String> PUBLIC_BY_NECESSITY =
      Set.of(
          AviaryApplication.class.getName(),
          "dev.aviary.controller.platform.RetryableFailure", // named in application.yml
          "dev.aviary.controller.platform.db.DatabaseEnvironmentPostProcessor", // spring.factories
          // Tomcat instantiates it by class name
          "dev.aviary.controller.platform.web.ProblemErrorReportValve",
          // the dry-run router's record of weights, which integration tests read as a router's
          "dev.aviary.controller.routing.dryrun.DryRunLedger");

  @Test
  void aPublicTypeHasAUserOutsideItsPackage() {
    classes()
        .that()
        .haveModifier(JavaModifier.PUBLIC)
        .and()
        .areTopLevelClasses()
        .and()
        .doNotHaveFullyQualifiedName(AviaryApplication.class.getName())
        .should(haveAUserOutsideTheirPackage())
        .check(APP);
  }

  private static ArchCondition<JavaClass> haveAUserOutsideTheirPackage() {
    return new ArchCondition<>("have a user outside their package (else be package-private)") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        if (PUBLIC_BY_NECESSITY.contains(type.getName())
            || type.getSimpleName().equals("package-info")) {
          return;
        }
        boolean usedOutside =
            APP.stream()
                .filter(c -> c.equals(type) || c.getName().startsWith(type.getName() + "$"))
                .flatMap(c -> c.getDirectDependenciesToSelf().stream())
                .map(Dependency::getOriginClass)
                .map(c -> c.getEnclosingClass().orElse(c))
                .anyMatch(
                    c ->
                        !c.getPackageName().equals(type.getPackageName())
                            && !c.getName().startsWith(type.getName()));
        if (!usedOutside) {
          events.add(
              SimpleConditionEvent.violated(
                  type, type.getName() + " is public but used only in its own package"));
        }
      }
    };
  }
}
