package io.dynamodbcache.core;

import java.util.List;

import com.fasterxml.jackson.databind.SerializationFeature;

class JacksonValueCodecUnitTests extends JsonValueCodecContractTests {

	@Override
	ValueCodec codec(List<String> packages, List<String> typeNames) {
		return JacksonValueCodec.builder().allowPackages(packages).allowTypeNames(typeNames).build();
	}

	@Override
	ValueCodec codecAllowing(Class<?>... types) {
		return JacksonValueCodec.builder().allowTypes(types).build();
	}

	@Override
	ValueCodec indentingCodec() {
		return JacksonValueCodec.builder()
			.customizeMapper((mapper) -> mapper.enable(SerializationFeature.INDENT_OUTPUT))
			.build();
	}

	@Override
	void allowPackage(String packageName) {
		JacksonValueCodec.builder().allowPackages(packageName);
	}

}
