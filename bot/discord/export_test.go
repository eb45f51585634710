package discord

// Golden compares v, as indented JSON, with testdata/name; with -update it
// rewrites the file. For the package's external tests.
var Golden = golden

// WaitEndpoint waits until the endpoint has finished every answer it
// began, edits and all.
func WaitEndpoint(e *Endpoint) { e.inflight.Wait() }
