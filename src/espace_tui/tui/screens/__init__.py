"""The app's screens: each takes data in and posts messages out; the app navigates."""
