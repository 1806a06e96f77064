"""Getting modules to learners and their work back: release, the submission package, submit, collect, feedback, bundles."""
