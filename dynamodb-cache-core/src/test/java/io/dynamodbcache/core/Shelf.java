package io.dynamodbcache.core;

import java.util.List;

public class Shelf {

	private String name;

	private List<Book> books;

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public List<Book> getBooks() {
		return this.books;
	}

	public void setBooks(List<Book> books) {
		this.books = books;
	}

}
