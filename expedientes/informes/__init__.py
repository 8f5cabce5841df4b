"""The unit's reports computed from the records (issue 11): the eleven monthly products, their
exports and issuing, the annual management report. `base` is the shape they share."""
