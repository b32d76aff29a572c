"""Views of the participants app, by area. Every lookup goes through the resource's
`visible_to(membership)`: another organization's objects, and runs a trainer does not
lead, answer 404."""
