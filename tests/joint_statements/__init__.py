"""Tests of joint statements, their signatures and linked statements."""
