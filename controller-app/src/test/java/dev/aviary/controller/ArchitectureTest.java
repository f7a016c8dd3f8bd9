package dev.aviary.controller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/** Package-by-feature rules for the controller, checked on every build. */
class ArchitectureTest {

  private static final JavaClasses APP =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.aviary.controller");

  @Test
  void restControllersArePackagePrivate() {
    classes()
        .that()
        .areAnnotatedWith(RestController.class)
        .should()
        .notHaveModifier(JavaModifier.PUBLIC)
        .check(APP);
  }

  @Test
  void noFeatureReachesIntoAnotherFeaturesWebLayer() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.aviary.controller.plan..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.aviary.controller.plan.web..")
        .check(APP);
  }

  @Test
  void judgementsAndBacktestsWriteNothing() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.aviary.controller.judgement..", "dev.aviary.controller.backtest..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta.persistence..", "org.springframework.jdbc..", "org.springframework.data..")
        .check(APP);
  }

  @Test
  void thePlatformDependsOnNoFeature() {
    noClasses()
        .that()
        .resideInAPackage("dev.aviary.controller.platform..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.aviary.controller.plan..", "dev.aviary.controller.routing..")
        .check(APP);
  }

  @Test
  void routerAdaptersOnlyMeetThroughTheSpi() {
    noClasses()
        .that()
        .resideInAPackage("dev.aviary.controller.routing.(*)..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.aviary.controller.plan..")
        .check(APP);
    com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
        .matching("dev.aviary.controller.routing.(*)..")
        .should()
        .notDependOnEachOther()
        .check(APP);
  }
}
