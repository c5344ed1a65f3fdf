"""Coalition screens (signed in) and the committee's public page."""
