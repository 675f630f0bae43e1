"""Joint statements: texts organisations and individuals sign on to, and their linked statements."""
