"""What the tool renders for people and other tools: views, reports, exports."""
