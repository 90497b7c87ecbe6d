package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
)

// newFlags is a flag set that reports errors instead of exiting, and prints nothing itself.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args and refuses stray positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{fmt.Sprintf("%s: %v", fs.Name(), err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected %q", fs.Name(), fs.Args())}
	}
	return nil
}

func parseNone(args []string) (struct{}, error) {
	return struct{}{}, parseFlags(newFlags("refresh"), args)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// money writes an amount with at least the currency's decimals.
func money(d decimal.Decimal, currency string) string { return invoicing.AmountText(d, currency) }
