package io.dynamodbcache.spring.boot.test;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DynamoDbLocalContextCustomizerFactoryUnitTests {

	private final DynamoDbLocalContextCustomizerFactory factory = new DynamoDbLocalContextCustomizerFactory();

	@Test
	void onlyAnnotatedTestClassesGetACustomizer() {
		assertThat(this.factory.createContextCustomizer(Plain.class, List.of())).isNull();
		assertThat(this.factory.createContextCustomizer(Annotated.class, List.of())).isNotNull();
		assertThat(this.factory.createContextCustomizer(Inheriting.class, List.of())).isNotNull();
	}

	@Test
	void customizersAreEqualSoThatContextsAreCachedAcrossTestClasses() {
		assertThat(this.factory.createContextCustomizer(Annotated.class, List.of()))
			.isEqualTo(this.factory.createContextCustomizer(Inheriting.class, List.of()))
			.hasSameHashCodeAs(this.factory.createContextCustomizer(Annotated.class, List.of()));
	}

	static class Plain {

	}

	@AutoConfigureDynamoDbLocal
	static class Annotated {

	}

	static class Inheriting extends Annotated {

	}

}
