package io.dynamodbcache.core;

import java.util.List;

import tools.jackson.databind.SerializationFeature;

class Jackson3ValueCodecUnitTests extends JsonValueCodecContractTests {

	@Override
	ValueCodec codec(List<String> packages, List<String> typeNames) {
		return Jackson3ValueCodec.builder().allowPackages(packages).allowTypeNames(typeNames).build();
	}

	@Override
	ValueCodec codecAllowing(Class<?>... types) {
		return Jackson3ValueCodec.builder().allowTypes(types).build();
	}

	@Override
	ValueCodec indentingCodec() {
		return Jackson3ValueCodec.builder()
			.customizeMapper((mapper) -> mapper.enable(SerializationFeature.INDENT_OUTPUT))
			.build();
	}

	@Override
	void allowPackage(String packageName) {
		Jackson3ValueCodec.builder().allowPackages(packageName);
	}

}
