"""The instructor's cycle for every lab kind: release, collect, grade a cohort into a gradebook,
review what only a trainer can judge, and each learner's competence record."""
