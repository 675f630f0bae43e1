"""A person's account as a whole: API tokens, the download of all their data, closing the account.

It sits above every app that holds personal data, so it can gather and anonymise it."""
