"""Forms of joint_statements: they validate shape; the services decide."""
