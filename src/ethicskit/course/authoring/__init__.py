"""Writing the course: build, prepare, notebook and assessment rules, execution, the integrity gate, scratch courses."""
