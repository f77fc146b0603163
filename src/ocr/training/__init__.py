"""Training the installed Tesseract models on new characters."""
