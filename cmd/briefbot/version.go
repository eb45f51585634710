package main

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"
	"strings"
)

// runVersion prints what the binary was built from: the module version,
// the commit and whether the tree had changes, and the Go version.
func runVersion(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	if len(args) > 0 {
		fmt.Fprintf(e.stderr, "briefbot version takes no arguments (got %q)\n", strings.Join(args, " "))
		return exitUsage
	}
	fmt.Fprint(e.stdout, versionText(debug.ReadBuildInfo()))
	return exitOK
}

// versionText words build information, as much as the build recorded:
// `go install …@v1.2.3` records the version, `go build` in a clone the
// commit, `go run` neither.
func versionText(bi *debug.BuildInfo, ok bool) string {
	if !ok {
		return fmt.Sprintf("briefbot (no build information)\ngo: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	}
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "briefbot %s\n", version)
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		line := "commit: " + rev
		if t := settings["vcs.time"]; t != "" {
			line += " (" + t + ")"
		}
		if settings["vcs.modified"] == "true" {
			line += ", with changes not committed"
		}
		b.WriteString(line + "\n")
	} else {
		b.WriteString("commit: unknown (built outside a git clone, or by go run)\n")
	}
	goVersion := bi.GoVersion
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	fmt.Fprintf(&b, "go: %s %s/%s\n", goVersion, runtime.GOOS, runtime.GOARCH)
	return b.String()
}
