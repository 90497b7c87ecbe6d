// Package cli runs Dealbooks' terminal subcommands, for scripting and support.
package cli

import (
	"context"
	"fmt"
	"io"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitError = 1 // the command ran and failed
	ExitUsage = 2 // the command line itself was wrong
)

// Env is what the subcommands need from the process.
type Env struct {
	Version string
	Folders Folders
	Stdout  io.Writer
	Stderr  io.Writer
}

// Folders are where Dealbooks keeps its files.
type Folders struct {
	Data  string
	Cache string
	Logs  string
}

const usage = `Dealbooks turns Pipedrive deals into QuickBooks Online invoices.

Usage:
  dealbooks              open the Dealbooks window
  dealbooks -demo        open the demo workspace: a sample company on built-in fake services, in a
                         profile of its own (dealbooks -demo <command> runs a command on that profile)
  dealbooks <command>

Commands:
  version    print the version
  paths      print the folders where Dealbooks keeps its data, cache and logs
  help       print this help
`

// Run runs the subcommand named by args[0] and returns the process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return ExitUsage
	}
	command, rest := args[0], args[1:]
	switch command {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	case "version":
		return noArguments(command, rest, env, func() {
			fmt.Fprintf(env.Stdout, "dealbooks %s\n", env.Version)
		})
	case "paths":
		return noArguments(command, rest, env, func() {
			fmt.Fprintf(env.Stdout, "data   %s\ncache  %s\nlogs   %s\n", env.Folders.Data, env.Folders.Cache, env.Folders.Logs)
		})
	default:
		fmt.Fprintf(env.Stderr, "dealbooks: unknown command or flag %q\n\n%s", command, usage)
		return ExitUsage
	}
}

// noArguments runs print for a command that takes no arguments, or reports the stray ones.
func noArguments(command string, rest []string, env Env, print func()) int {
	if len(rest) > 0 {
		fmt.Fprintf(env.Stderr, "dealbooks %s: takes no arguments, got %q\n\n%s", command, rest, usage)
		return ExitUsage
	}
	print()
	return ExitOK
}
