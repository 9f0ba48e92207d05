package io.dynamodbcache.core;

enum Genre {

	FANTASY, SCIENCE_FICTION, POETRY

}
