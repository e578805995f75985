"""The app's own widgets: they only message their parent."""
