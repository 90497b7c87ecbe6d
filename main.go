// Command dealbooks turns Pipedrive deals into QuickBooks Online invoices; this package only wires the app.
package main

import (
	"context"
	"fmt"
	"os"

	"dealbooks/app/cli"
	"dealbooks/app/platform"
)

// version is the release version; release builds set it with -ldflags "-X main.version=…", and it matches
// FyneApp.toml.
var version = "0.1.0"

// appID is FyneApp.toml's ID; Fyne keys the app's own preferences by it.
const appID = "com.dealbooks.desktop"

// demoProfile is the profile of the demo workspace, so its data never mixes with the real profile's.
const demoProfile = "demo"

// The developer apps built in, set by release builds with -ldflags "-X main.pipedriveClientID=…" and so on.
// The environment (see the README) and Settings override them.
var (
	pipedriveClientID      string
	pipedriveClientSecret  string
	quickbooksClientID     string
	quickbooksClientSecret string
)

// main runs a subcommand of app/cli when there are arguments (command.go), and otherwise opens the window
// (window.go); both over the one wiring, Main (wiring.go).
func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	ctx := context.Background()
	// -demo switches to the demo workspace: its own profile folders, and fakes instead of the real services.
	demo := len(args) > 0 && (args[0] == "-demo" || args[0] == "--demo")
	profile := ""
	if demo {
		args, profile = args[1:], demoProfile
	}
	paths, err := platform.CurrentPaths(profile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dealbooks:", err)
		return cli.ExitError
	}
	m := NewMain(paths, demo)
	if len(args) > 0 {
		return runCommand(ctx, m, args)
	}
	return runWindow(ctx, m)
}
