// Package cli runs Dealbooks' terminal subcommands, for scripting and support.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"dealbooks/app/invoicing"
	"dealbooks/app/platform"
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

	// OpenService opens the invoicing service of the connected accounts; the commands that work on deals
	// and invoices call it, and close releases what it opened. It returns ErrNotConnected when Pipedrive or
	// QuickBooks is not connected.
	OpenService func(ctx context.Context) (svc *invoicing.Service, close func() error, err error)
	// OpenAccounts opens the profile's accounts, connected or not, for connect, status and disconnect,
	// and for reading the offline copies kept at a disconnect; close releases what it opened.
	OpenAccounts func(ctx context.Context) (acc Accounts, close func() error, err error)
	// Stdin is where connect pipedrive --api-token-stdin reads the token.
	Stdin io.Reader
}

// ErrNotConnected is what OpenService returns while an account is missing.
var ErrNotConnected = errors.New("not connected to both Pipedrive and QuickBooks")

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
  deals [--search TERM] [--reload] [--json]
             list the deals (fetching changes from Pipedrive first when it can be reached;
             --reload fetches every deal again)
  invoice draft --deal ID [--json]
             show the invoice Dealbooks would create for a deal
  invoice create --deal ID [--customer ID | --new-customer] [--update-customer] [--another]
                 [--accept-difference] [--json]
             create the deal's invoice in QuickBooks, exactly once; a deal that already
             has an invoice gets another only with --another; a difference from the deal
             must be accepted with --accept-difference
  invoice void|delete|pdf ID
  invoice send ID [--to EMAIL]
             act on an invoice (QuickBooks Id); pdf prints the saved file's path
  invoice link --deal ID NUMBER...
             link invoices made in QuickBooks (by their numbers) to the deal, for the whole
             team: each gets Dealbooks' line in its private note, the deal its note
  history [--deal ID] [--status S] [--json | --csv]
             list the invoices from the local copy; S is open, partially-paid, paid,
             voided, queued, deleted or overdue
  refresh    bring the invoices up to date from QuickBooks and send queued invoices
  connect pipedrive [--api-token-stdin]
             sign in to Pipedrive in the browser (the address is printed too, for a machine
             without one), or connect with a personal API token read from standard input
  connect quickbooks [--sandbox]
             sign in to a QuickBooks company (--sandbox: a sandbox company, with development keys)
  status [--json]
             the connections and company names, the queued invoices and how old the offline
             copies are
  disconnect pipedrive|quickbooks [--keep | --delete]
             end Dealbooks' access and forget the sign-in; the deals and invoices on this
             computer are kept for reading offline unless --delete
  version    print the version
  paths      print the folders where Dealbooks keeps its data, cache and logs
  help       print this help

Exit status: 0 done, 1 failed, 2 wrong command line.
`

// Run runs the subcommand named by args[0] and returns the process exit code. Everything written to
// env.Stderr passes through the log's redaction first, so an error that quotes a request or an answer
// never shows a token.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Stderr != nil {
		env.Stderr = redacting{env.Stderr}
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return ExitUsage
	}
	command, rest := args[0], args[1:]
	ctx, cancel := withDeadline(ctx, command, rest)
	defer cancel()
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
	case "deals":
		return withServiceOrKept(ctx, env, rest, parseDeals, runDeals)
	case "history":
		return withServiceOrKept(ctx, env, rest, parseHistory, runHistory)
	case "refresh":
		return withService(ctx, env, rest, parseNone, runRefresh)
	case "invoice":
		return runInvoice(ctx, env, rest)
	case "connect":
		return withAccounts(ctx, env, rest, parseConnect, runConnect)
	case "disconnect":
		return withAccounts(ctx, env, rest, parseDisconnect, runDisconnect)
	case "status":
		return withAccounts(ctx, env, rest, parseStatus, runStatus)
	default:
		fmt.Fprintf(env.Stderr, "dealbooks: unknown command or flag %q\n\n%s", command, usage)
		return ExitUsage
	}
}

// deadlines is how long each command may run before it is stopped, the one place that says so, so that
// nothing hangs for ever: deals and refresh page through whole accounts and send queued invoices, and
// connect waits for the sign-in in the browser; every other command gets defaultDeadline.
var deadlines = map[string]time.Duration{
	"deals":   10 * time.Minute,
	"refresh": 10 * time.Minute,
	"connect": 10 * time.Minute,
}

var defaultDeadline = 3 * time.Minute

// withDeadline returns ctx ending at the command's deadline, its cause a deadlineError naming it.
func withDeadline(ctx context.Context, command string, rest []string) (context.Context, context.CancelFunc) {
	limit, ok := deadlines[command]
	if !ok {
		limit = defaultDeadline
	}
	name := command
	if command == "invoice" && len(rest) > 0 {
		name += " " + rest[0]
	}
	return context.WithTimeoutCause(ctx, limit, deadlineError{command: name, limit: limit})
}

// deadlineError is why a command's context ended at its deadline.
type deadlineError struct {
	command string
	limit   time.Duration
}

func (e deadlineError) Error() string {
	return fmt.Sprintf("%s was stopped after %v without finishing; run dealbooks status to see what is queued, then try again",
		e.command, e.limit)
}

func (e deadlineError) Unwrap() error { return context.DeadlineExceeded }

// stoppedAtDeadline prints the deadline's sentence, whatever error the command met, when ctx ended at its
// deadline, and reports whether it did.
func stoppedAtDeadline(ctx context.Context, env Env) bool {
	var de deadlineError
	if ctx.Err() == nil || !errors.As(context.Cause(ctx), &de) {
		return false
	}
	fmt.Fprintln(env.Stderr, "dealbooks:", de.Error())
	return true
}

// redacting masks secrets in each write; the commands write stderr a whole line at a time.
type redacting struct{ w io.Writer }

func (r redacting) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, platform.Redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// adviceError is a failure the command has already put into one sentence saying what to do; Run
// prints it as it is and exits 1.
type adviceError struct{ msg string }

func (e adviceError) Error() string { return e.msg }

// usageError is a wrong command line; Run prints it with the usage and exits 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// withService parses the command's arguments, opens the service and runs the command with it.
func withService[O any](ctx context.Context, env Env, args []string,
	parse func([]string) (O, error), run func(context.Context, Env, *invoicing.Service, O) error) int {
	return serve(ctx, env, args, parse, run, false)
}

// withServiceOrKept is withService for a command that only reads: while the accounts are not connected it
// reads the offline copies kept at a disconnect, when there are any, and says whose and how old they are.
func withServiceOrKept[O any](ctx context.Context, env Env, args []string,
	parse func([]string) (O, error), run func(context.Context, Env, *invoicing.Service, O) error) int {
	return serve(ctx, env, args, parse, run, true)
}

func serve[O any](ctx context.Context, env Env, args []string,
	parse func([]string) (O, error), run func(context.Context, Env, *invoicing.Service, O) error, orKept bool) int {
	opts, err := parse(args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "dealbooks: %v\n\n%s", err, usage)
		return ExitUsage
	}
	if env.OpenService == nil {
		fmt.Fprintln(env.Stderr, "dealbooks: this build cannot reach Pipedrive and QuickBooks")
		return ExitError
	}
	svc, closeService, err := env.OpenService(ctx)
	if errors.Is(err, ErrNotConnected) && orKept {
		var kept bool
		svc, closeService, kept, err = openKept(ctx, env)
		if err == nil && !kept {
			err = ErrNotConnected
		}
	}
	if err != nil && stoppedAtDeadline(ctx, env) {
		return ExitError
	}
	if errors.Is(err, ErrNotConnected) {
		fmt.Fprintln(env.Stderr, "dealbooks: connect Pipedrive and QuickBooks in the Dealbooks window first, or add -demo to use the demo workspace")
		return ExitError
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "dealbooks:", err)
		return ExitError
	}
	defer closeService()
	return exitFor(ctx, env, run(ctx, env, svc, opts))
}

// exitFor reports what a command's run returned, in one sentence on stderr, and gives its exit status: a run
// stopped at its deadline says so; a wrong command line gets the usage (2); a sentence the command wrote
// itself is printed as it is; any other error is explained by invoicing.Explain.
func exitFor(ctx context.Context, env Env, err error) int {
	if err == nil {
		return ExitOK
	}
	if stoppedAtDeadline(ctx, env) {
		return ExitError
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(env.Stderr, "dealbooks: %v\n\n%s", err, usage)
		return ExitUsage
	}
	var ae adviceError
	if errors.As(err, &ae) {
		fmt.Fprintln(env.Stderr, "dealbooks:", ae.msg)
		return ExitError
	}
	fmt.Fprintln(env.Stderr, "dealbooks:", invoicing.Explain(err))
	return ExitError
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
