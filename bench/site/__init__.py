"""The Backstride web app as the benchmarks serve it: the real settings and URLs, plus one
minimal view to measure the server and middleware alone (issue 8, part 2)."""
