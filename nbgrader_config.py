"""nbgrader configuration for the ethicskit course.

solutions/ is nbgrader's source folder and exercises/ its release folder.
Everything that holds learners' records (submissions, grades, the gradebook)
lives in the gitignored course-data/ folder.

Environment overrides, for administrators:
  ETHICSKIT_COURSE_ID    course id (default "ethicskit")
  ETHICSKIT_COURSE_DATA  folder for submissions, grades and the SQLite gradebook
  ETHICSKIT_DB_URL       any SQLAlchemy URL, e.g. postgresql://user@host/ethicskit
  ETHICSKIT_EXCHANGE     nbgrader exchange root (shared volume on a hub)
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets when loading this file)

_root = os.path.dirname(os.path.abspath(__file__))
_data = os.environ.get("ETHICSKIT_COURSE_DATA", os.path.join(_root, "course-data"))

c.CourseDirectory.root = _root
c.CourseDirectory.course_id = os.environ.get("ETHICSKIT_COURSE_ID", "ethicskit")
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.submitted_directory = os.path.join(_data, "submitted")
c.CourseDirectory.autograded_directory = os.path.join(_data, "autograded")
c.CourseDirectory.feedback_directory = os.path.join(_data, "feedback")
c.CourseDirectory.solution_directory = os.path.join(_data, "solution")
c.CourseDirectory.db_url = os.environ.get(
    "ETHICSKIT_DB_URL", "sqlite:///" + os.path.join(_data, "gradebook.db")
)
c.Exchange.root = os.environ.get("ETHICSKIT_EXCHANGE", os.path.join(_data, "exchange"))

c.ClearSolutions.code_stub = {"python": "# YOUR ANSWER HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Facilitator-only parts of rubric cells sit between nbgrader's mark-scheme markers
# (<!-- BEGIN MARK SCHEME --> ... <!-- END MARK SCHEME -->). nbgrader removes them from the release;
# rubric cells are locked markdown cells rather than task cells, hence enforce_metadata off.
c.ClearMarkScheme.enforce_metadata = False
# Feedback teaches without handing over the key: hidden tests and mark schemes are removed from it, and a
# failed check shows only its explanation, never the traceback line that holds the right answer.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "ethicskit.course.delivery.feedback.ExplanationsOnly",
    # Written answers not graded yet say so (nbgrader alone shows them as "Score: 0.0 / 2.0").
    "ethicskit.course.delivery.feedback.PendingWrittenAnswers",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Grading: a runaway cell is stopped after 30 s; kernels are shut down at once.
c.Execute.timeout = 30
c.Execute.shutdown_kernel = "immediate"
c.Execute.interrupt_on_timeout = True
# A learner who deletes a graded cell gets it back, so it is graded (and `ethicskit grade` flags it).
c.OverwriteCells.add_missing_cells = True

# `nbgrader zip_collect` reads the zips `ethicskit submit` writes: LEARNER+MODULE+TIMESTAMP.zip.
c.FileNameCollectorPlugin.named_regexp = (
    r".*/(?P<student_id>[A-Za-z0-9_.-]+)\+[A-Za-z0-9_.-]+\+(?P<timestamp>\d{8}T\d{6}Z)/(?P<file_id>[^/]+\.ipynb)$"
)
