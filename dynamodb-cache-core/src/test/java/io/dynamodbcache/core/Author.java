package io.dynamodbcache.core;

record Author(String firstName, String lastName) {
}
