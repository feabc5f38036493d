"""Test and benchmark harness: loopback fakes of the web services the bot talks to."""
