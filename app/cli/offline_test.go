package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"dealbooks/app/adapters"
	"dealbooks/app/invoicing"
)

// With both services down, invoice create says exactly what happened: queued with its outbox id for a
// deal drafted before, nothing created (and why) for a deal whose products were never read or a deal never
// seen. The queue shows in the count and in history.
func TestCreateWithBothServicesDownQueuesOrSaysWhyNot(t *testing.T) {
	e := newProfileEnv(t)
	ctx := context.Background()
	out, _ := e.mustRun(t, "deals", "--json")
	var deals []dealJSON
	if err := json.Unmarshal([]byte(out), &deals); err != nil {
		t.Fatal(err)
	}
	var opened, listed int64
	for _, d := range deals {
		switch {
		case d.Organization == "":
		case opened == 0:
			opened = d.ID
		case listed == 0 && d.ID != opened:
			listed = d.ID
		}
	}
	svc, g := e.gatedService(t)
	built, err := svc.BuildDraft(ctx, opened) // the window opened this deal: its draft is saved
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SaveDraft(ctx, built.Draft); err != nil {
		t.Fatal(err)
	}
	g.down.Store(true) // both services stop answering
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Run(ctx, args, Env{Stdout: &out, Stderr: &errOut,
			OpenService: func(context.Context) (*invoicing.Service, func() error, error) {
				return svc, func() error { return nil }, nil
			}})
		return code, out.String(), errOut.String()
	}

	code, out, errOut := run("invoice", "create", "--deal", strconvI(opened), "--new-customer", "--accept-difference")
	if code != ExitOK || !strings.HasPrefix(out, "queued the invoice of deal "+strconvI(opened)+" as outbox entry ") {
		t.Fatalf("create offline for a deal opened before = %d %q %q, want it queued with its outbox entry", code, out, errOut)
	}
	if !strings.Contains(errOut, "this is the draft saved for deal") {
		t.Errorf("stderr %q does not say the saved draft was used", errOut)
	}

	code, out, errOut = run("invoice", "create", "--deal", strconvI(listed), "--new-customer", "--accept-difference")
	if code != ExitError || out != "" || !strings.Contains(errOut, "Nothing was created") || !strings.Contains(errOut, "products are not known") {
		t.Errorf("create offline for a deal only listed = %d %q %q, want exit 1: nothing created, products unknown", code, out, errOut)
	}
	code, _, errOut = run("invoice", "create", "--deal", "987654", "--new-customer")
	if code != ExitError || !strings.Contains(errOut, "Nothing was created") || !strings.Contains(errOut, "not stored on this computer") {
		t.Errorf("create offline for a deal never seen = %d %q, want exit 1: nothing created, not stored", code, errOut)
	}

	if n, err := svc.QueuedCount(ctx); err != nil || n != 1 {
		t.Errorf("queued count = %d (%v), want 1", n, err)
	}
	if code, out, _ := run("history", "--status", "queued", "--deal", strconvI(opened)); code != ExitOK || strings.Count(out, "Queued") != 1 {
		t.Errorf("history --status queued = %d %q, want the one queued invoice", code, out)
	}
}

// gatedService is the connected pair's service over the demo, with a gate that takes both services
// offline at once.
func (e *profileEnv) gatedService(t *testing.T) (*invoicing.Service, *gate) {
	t.Helper()
	ctx := context.Background()
	state, err := e.demo.Accounts.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pair, _ := state.Pair()
	repo, err := e.db.Repository(ctx, pair.PipedriveCompany, pair.QuickBooksRealm)
	if err != nil {
		t.Fatal(err)
	}
	crm, err := e.demo.Accounts.Pipedrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	acct, err := e.demo.Accounts.QuickBooks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{}
	return invoicing.NewService(invoicing.Config{
		CRM:        gatedCRM{adapters.NewPipedrive(crm, adapters.Options{}), g},
		Accounting: gatedAccounting{adapters.NewQuickBooks(acct, adapters.Options{}), g},
		Repository: repo,
	}), g
}
