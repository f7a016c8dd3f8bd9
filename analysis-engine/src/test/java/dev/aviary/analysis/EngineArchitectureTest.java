package dev.aviary.analysis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

/** The analysis engine stays a plain Java library with a clean inside. */
class EngineArchitectureTest {

  private static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.aviary.analysis");

  @Test
  void usesNoSpringNoJpaNoHibernate() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "jakarta.persistence..", "org.hibernate..")
        .check(ENGINE);
  }

  @Test
  void judgesKnowNothingOfMetricBackends() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.aviary.analysis.judge..", "dev.aviary.analysis.stats..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.aviary.analysis.metrics..")
        .check(ENGINE);
  }

  @Test
  void statisticsKnowNothingOfJudges() {
    noClasses()
        .that()
        .resideInAPackage("dev.aviary.analysis.stats..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.aviary.analysis.judge..")
        .check(ENGINE);
  }

  @Test
  void providersDoNotDependOnEachOther() {
    SlicesRuleDefinition.slices()
        .matching("dev.aviary.analysis.metrics.(*)..")
        .should()
        .notDependOnEachOther()
        .ignoreDependency(
            DescribedPredicate.alwaysTrue(),
            JavaClass.Predicates.resideInAPackage("dev.aviary.analysis.metrics.http.."))
        .check(ENGINE);
  }

  @Test
  void hasNoPackageCycles() {
    SlicesRuleDefinition.slices()
        .matching("dev.aviary.(**)")
        .should()
        .beFreeOfCycles()
        .check(ENGINE);
  }
}
