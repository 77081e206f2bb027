"""The course site (`make site`, MkDocs Material), the self-check quizzes (`cda quiz`), the CCP pages'
generated mapping blocks and the word count of the course. See docs/course-site.md."""

from graders.course_site.words import course_words

__all__ = ["course_words"]
