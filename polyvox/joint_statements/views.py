"""Pages of joint_statements: thin views over its services and selectors."""
