"""The accounts app's writes: API tokens (`tokens`) and closing an account (`closing`)."""
