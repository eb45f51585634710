package discord

// Golden compares v, as indented JSON, with testdata/name; with -update it
// rewrites the file. For the package's external tests.
var Golden = golden
