"""The applicant's pages of the funding app: the finder (finder.py) and the application wizard
with "My applications" (applications.py). The review's pages are the review's own modules."""
