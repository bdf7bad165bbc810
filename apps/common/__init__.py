"""Pieces every app shares and no app owns. Not an installed app: it holds no tables."""
