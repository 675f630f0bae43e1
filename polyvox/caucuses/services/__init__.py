"""Writes for caucuses: start one, join and leave, facilitate (`membership`); discuss, draft
together and publish (`content`), on shared rules (`rules`).

Caucus content (requests, threads, posts, the working draft) never goes on the record or to
anyone outside the caucus; only its public name and purpose do, and a thread's text once a
facilitator publishes it (`content.publish_thread`)."""
