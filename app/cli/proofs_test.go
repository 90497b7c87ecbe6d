package cli

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	mathrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"dealbooks/app/adapters"
	"dealbooks/app/invoicing"
	"dealbooks/app/store"
	"dealbooks/integrations/pipedrive"
	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/integrations/quickbooks"
	"dealbooks/integrations/quickbooks/qbofake"
	"dealbooks/internal/clock"
)

// The proofs in this file run Dealbooks as real, separate processes: the test binary started again
// with proofChildEnv set runs one command (TestMain sees it) against the fakes the parent test serves on
// 127.0.0.1 and one SQLite file they all share. `scripts/proofs` runs them longer.

// proofChildEnv carries a proofChild, as JSON, to a child process.
const proofChildEnv = "DEALBOOKS_PROOF_CHILD"

// Environment variables that scale the proofs: how many crash runs, and the seed that chooses where each
// one is killed (printed by the test, so a failure can be replayed).
const (
	proofRunsEnv = "DEALBOOKS_PROOF_RUNS"
	proofSeedEnv = "DEALBOOKS_PROOF_SEED"
)

// proofPipedriveCompany is the Pipedrive company id of the proofs' workspace.
const proofPipedriveCompany = "proof-company"

// proofChild is what a child process needs to run as Dealbooks would.
type proofChild struct {
	QuickBooksURL string
	RealmID       string
	AccessToken   string
	PipedriveURL  string
	DBPath        string
	// Window: run Resume as the window does at start and when the network returns, and print its result
	// as JSON; otherwise run Args through the command line.
	Window bool
	Args   []string
	// Later shifts the child's clock: a process started after a killed one's lease has run out.
	Later time.Duration
}

func TestMain(m *testing.M) {
	if raw := os.Getenv(proofChildEnv); raw != "" {
		os.Exit(runProofChild(raw))
	}
	os.Exit(m.Run())
}

// runProofChild is the whole of a child process: the store, both adapters and the Service over them,
// then the command line (or the window's Resume).
func runProofChild(raw string) int {
	var c proofChild
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		fmt.Fprintln(os.Stderr, "proof child:", err)
		return 3
	}
	ctx := context.Background()
	qb, err := quickbooks.New(quickbooks.Config{
		BaseURL: c.QuickBooksURL, RealmID: c.RealmID, Clock: clock.Instant{},
		TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: c.AccessToken, TokenType: "bearer"}),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "proof child:", err)
		return 3
	}
	pd, err := pipedrive.New(pipedrive.Config{APIToken: pipedrivefake.DefaultAPIToken, BaseURL: c.PipedriveURL, Clock: clock.Instant{}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "proof child:", err)
		return 3
	}
	db, err := store.Open(ctx, c.DBPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "proof child:", err)
		return 3
	}
	defer db.Close()
	repo, err := db.Repository(ctx, proofPipedriveCompany, c.RealmID)
	if err != nil {
		fmt.Fprintln(os.Stderr, "proof child:", err)
		return 3
	}
	svc := invoicing.NewService(invoicing.Config{
		CRM: adapters.NewPipedrive(pd, adapters.Options{}), Accounting: adapters.NewQuickBooks(qb, adapters.Options{}),
		Repository: repo, Files: adapters.NewFolder(filepath.Join(filepath.Dir(c.DBPath), "pdf")),
		Now: func() time.Time { return time.Now().Add(c.Later) },
	})
	if c.Window {
		r, err := svc.Resume(ctx)
		if err != nil {
			fmt.Fprintln(os.Stderr, "proof child: resume:", err)
			return ExitError
		}
		json.NewEncoder(os.Stdout).Encode(r)
		return ExitOK
	}
	return Run(ctx, c.Args, Env{Stdout: os.Stdout, Stderr: os.Stderr,
		OpenService: func(context.Context) (*invoicing.Service, func() error, error) {
			return svc, func() error { return nil }, nil
		}})
}

// proofWorld is one QuickBooks and one Pipedrive fake, each behind a tripwire, and a database file with
// the preferences a rep would have saved.
type proofWorld struct {
	qb     *qbofake.Server
	pd     *pipedrivefake.Server
	data   pipedrivefake.Dataset
	qbURL  string
	pdURL  string
	dbPath string
	trip   *tripwire
	// qbTimeout bounds each QuickBooks request of withRepo's clients; the client's default when zero.
	qbTimeout time.Duration
}

func newProofWorld(t *testing.T, latency time.Duration) *proofWorld {
	t.Helper()
	w := &proofWorld{data: pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 1}), trip: &tripwire{}}
	w.qb = qbofake.New(qbofake.Options{Unlimited: true})
	w.qb.SetLatency(latency)
	w.pd = pipedrivefake.New(pipedrivefake.Options{Dataset: &w.data, Latency: latency, BurstLimit: 1 << 20})
	qbSrv := httptest.NewServer(w.trip.wrap(w.qb, true))
	t.Cleanup(qbSrv.Close)
	pdSrv := httptest.NewServer(w.trip.wrap(w.pd, false))
	t.Cleanup(pdSrv.Close)
	w.qbURL, w.pdURL = qbSrv.URL, pdSrv.URL
	w.dbPath = filepath.Join(t.TempDir(), "dealbooks.db")

	ctx := context.Background()
	db, err := store.Open(ctx, w.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	repo, err := db.Repository(ctx, proofPipedriveCompany, w.qb.RealmID())
	if err != nil {
		t.Fatal(err)
	}
	prefs := invoicing.DefaultPreferences()
	prefs.DefaultItemID = w.qb.DefaultItemID()
	if err := repo.SavePreferences(ctx, prefs); err != nil {
		t.Fatal(err)
	}
	return w
}

// child returns the setup of a child process in this world.
func (w *proofWorld) child() proofChild {
	return proofChild{QuickBooksURL: w.qbURL, RealmID: w.qb.RealmID(), AccessToken: w.qb.IssueTokens().AccessToken,
		PipedriveURL: w.pdURL, DBPath: w.dbPath}
}

// deals returns n USD deals of distinct organizations, so each invoice gets a customer of its own.
func (w *proofWorld) deals(t *testing.T, n int) []int64 {
	t.Helper()
	seen := map[int64]bool{}
	var ids []int64
	for _, d := range w.data.Deals {
		if len(ids) == n {
			break
		}
		if d.Currency != "USD" || d.OrgID == nil || seen[*d.OrgID] || d.Status == "deleted" {
			continue
		}
		seen[*d.OrgID] = true
		ids = append(ids, d.ID)
	}
	if len(ids) < n {
		t.Fatalf("the seeded company has %d USD deals of distinct organizations, want %d", len(ids), n)
	}
	return ids
}

// withRepo runs f with a Service and the repository over the world's database, as one more process.
func (w *proofWorld) withRepo(t *testing.T, later time.Duration, f func(*invoicing.Service, *store.Repository)) {
	t.Helper()
	ctx := context.Background()
	qb, err := quickbooks.New(quickbooks.Config{BaseURL: w.qbURL, RealmID: w.qb.RealmID(), Clock: clock.Instant{},
		TokenSource: oauth2.StaticTokenSource(w.qb.IssueTokens()), Timeout: w.qbTimeout})
	if err != nil {
		t.Fatal(err)
	}
	pd, err := pipedrive.New(pipedrive.Config{APIToken: pipedrivefake.DefaultAPIToken, BaseURL: w.pdURL, Clock: clock.Instant{}})
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, w.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	repo, err := db.Repository(ctx, proofPipedriveCompany, w.qb.RealmID())
	if err != nil {
		t.Fatal(err)
	}
	f(invoicing.NewService(invoicing.Config{CRM: adapters.NewPipedrive(pd, adapters.Options{}),
		Accounting: adapters.NewQuickBooks(qb, adapters.Options{}), Repository: repo,
		Now: func() time.Time { return time.Now().Add(later) }}), repo)
}

// tripwire counts the requests of both fakes and, once armed, stops the k-th: a QuickBooks write is
// committed first and its answer withheld (the worst moment to die), any other request is held before
// it reaches the fake. fired is closed then, so the test can kill the process that sent it.
type tripwire struct {
	mu    sync.Mutex
	n, k  int
	fired chan struct{}
	// failing: QuickBooks requests matching "METHOD /suffix" (the path's end) are answered 503 before
	// they reach the fake, until it is set to "" again.
	failing string
	// hanging: QuickBooks requests matching "METHOD /suffix" get no answer until hangUntil is closed
	// (the test's end); with hangCommitted the fake commits them first.
	hanging       string
	hangCommitted bool
	hangUntil     chan struct{}
}

// hangQuickBooks makes QuickBooks leave every request matching match ("" stops it) unanswered until
// the test ends, committing it first when committed.
func (tw *tripwire) hangQuickBooks(t *testing.T, match string, committed bool) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.hangUntil == nil {
		tw.hangUntil = make(chan struct{})
		t.Cleanup(func() { close(tw.hangUntil) }) // runs before the servers close: they wait for handlers
	}
	tw.hanging, tw.hangCommitted = match, committed
}

// failQuickBooks makes QuickBooks answer 503 to every request matching match ("" stops it).
func (tw *tripwire) failQuickBooks(match string) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	tw.failing = match
}

// arm makes the k-th request from now trip the wire; k 0 disarms it.
func (tw *tripwire) arm(k int) chan struct{} {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	tw.n, tw.k, tw.fired = 0, k, make(chan struct{})
	return tw.fired
}

func (tw *tripwire) wrap(next http.Handler, commitWrites bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw.mu.Lock()
		tw.n++
		hit := tw.k > 0 && tw.n == tw.k
		fired, failing := tw.fired, tw.failing
		hanging, hangCommitted, hangUntil := tw.hanging, tw.hangCommitted, tw.hangUntil
		tw.mu.Unlock()
		if method, suffix, _ := strings.Cut(hanging, " "); commitWrites && hanging != "" && r.Method == method && strings.HasSuffix(r.URL.Path, suffix) {
			if hangCommitted {
				next.ServeHTTP(httptest.NewRecorder(), r)
			}
			<-hangUntil
			return
		}
		method, suffix, _ := strings.Cut(failing, " ")
		if commitWrites && failing != "" && r.Method == method && strings.HasSuffix(r.URL.Path, suffix) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"Fault":{"Error":[{"Message":"An application error has occurred while processing your request","Detail":"System Failure Error: the service is temporarily unavailable","code":"10000"}],"type":"SystemFault"},"time":"2026-12-05T10:00:00.000-08:00"}`)
			return
		}
		if !hit {
			next.ServeHTTP(w, r)
			return
		}
		if commitWrites && r.Method == http.MethodPost {
			next.ServeHTTP(httptest.NewRecorder(), r)
		}
		close(fired)
		<-r.Context().Done() // the process is killed; its connection closes
	})
}

// start starts a child process.
func startChild(t *testing.T, c proofChild) (*exec.Cmd, *strings.Builder, chan error) {
	t.Helper()
	setup, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), proofChildEnv+"="+string(setup))
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	return cmd, out, exited
}

// runChild runs a child process to its end and returns its output.
func runChild(t *testing.T, c proofChild) string {
	t.Helper()
	_, out, exited := startChild(t, c)
	if err := <-exited; err != nil {
		t.Fatalf("dealbooks %v: %v\n%s", c.Args, err, out)
	}
	return out.String()
}

// runChildUntil runs a child process until it ends or the tripwire fires; then it is killed with
// SIGKILL. It reports whether it was killed.
func runChildUntil(t *testing.T, c proofChild, fired chan struct{}) (killed bool, output string) {
	t.Helper()
	cmd, out, exited := startChild(t, c)
	select {
	case <-fired:
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-exited
		return true, out.String()
	case <-exited:
		return false, out.String()
	}
}

// queue puts the deals' invoices into the outbox, each with a new customer, as Create does before any
// network call.
func (w *proofWorld) queue(t *testing.T, deals []int64) {
	t.Helper()
	ctx := context.Background()
	w.withRepo(t, 0, func(svc *invoicing.Service, repo *store.Repository) {
		company, err := svc.Company(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range deals {
			b, err := svc.BuildDraft(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			d := b.Draft
			d.Customer.LinkedID, d.Customer.LinkedCurrency = "", ""
			if err := invoicing.CheckDraft(d, company, nil); err != nil {
				t.Fatalf("deal %d: %v", id, err)
			}
			now := time.Now()
			_, err = repo.Enqueue(ctx, invoicing.OutboxEntry{DealID: id, Draft: d, State: invoicing.OutboxQueued,
				CustomerRequestID: "dbk-" + rand.Text(), InvoiceRequestID: "dbk-" + rand.Text(), CreatedAt: now, UpdatedAt: now})
			if err != nil {
				t.Fatal(err)
			}
		}
	})
}

// notesByDeal counts the notes on each deal.
func (w *proofWorld) notesByDeal() map[int64]int {
	n := map[int64]int{}
	for _, note := range w.pd.Notes() {
		n[note.DealID]++
	}
	return n
}

// The window and a command, two processes, resume one outbox at the same moment: QuickBooks gets one
// invoice per entry, each deal one note, and between them they report each invoice created once.
func TestTwoProcessesResumingOneOutboxSendEachInvoiceOnce(t *testing.T) {
	w := newProofWorld(t, 5*time.Millisecond)
	deals := w.deals(t, 6)
	w.queue(t, deals)

	window, command := w.child(), w.child()
	window.Window = true
	command.Args = []string{"refresh"}
	_, windowOut, windowDone := startChild(t, window)
	_, commandOut, commandDone := startChild(t, command)
	if err := <-windowDone; err != nil {
		t.Fatalf("window: %v\n%s", err, windowOut)
	}
	if err := <-commandDone; err != nil {
		t.Fatalf("command: %v\n%s", err, commandOut)
	}

	var byWindow invoicing.ResumeResult
	if err := json.Unmarshal([]byte(windowOut.String()), &byWindow); err != nil {
		t.Fatalf("window printed %q: %v", windowOut, err)
	}
	var byCommand, still, elsewhere int
	if _, err := fmt.Sscanf(commandOut.String(), "%d queued invoice(s) sent, %d still queued", &byCommand, &still); err != nil {
		t.Fatalf("refresh printed %q: %v", commandOut, err)
	}
	if i := strings.Index(commandOut.String(), " being sent by another Dealbooks"); i >= 0 {
		fields := strings.Fields(commandOut.String()[:i])
		elsewhere, _ = strconv.Atoi(fields[len(fields)-1])
	}
	t.Logf("the window sent %d (%d left to the command), the command sent %d (%d left to the window)",
		byWindow.Created, byWindow.Elsewhere, byCommand, elsewhere)

	if got := len(w.qb.Invoices()); got != len(deals) {
		t.Errorf("QuickBooks holds %d invoices, want %d (one per queued entry)", got, len(deals))
	}
	notes := w.notesByDeal()
	for _, id := range deals {
		if notes[id] != 1 {
			t.Errorf("deal %d has %d notes, want 1", id, notes[id])
		}
	}
	if byWindow.Created+byCommand != len(deals) {
		t.Errorf("reported created: %d by the window + %d by the command, want %d in all", byWindow.Created, byCommand, len(deals))
	}
}

// proofRuns returns how many runs a proof makes: def, or $DEALBOOKS_PROOF_RUNS.
func proofRuns(t *testing.T, def int) int {
	if s := os.Getenv(proofRunsEnv); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive number", proofRunsEnv, s)
		}
		return n
	}
	return def
}

// proofSeed returns the seed of the proof's random choices: $DEALBOOKS_PROOF_SEED, or a new one.
func proofSeed(t *testing.T) uint64 {
	if s := os.Getenv(proofSeedEnv); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: want a number", proofSeedEnv, s)
		}
		return seed
	}
	return uint64(time.Now().UnixNano())
}

// `invoice create` and then `refresh`, as real processes, each killed with SIGKILL at a request chosen
// from the seed (a QuickBooks write is committed before the kill, its answer never arrives; any other
// request dies before it is sent). After the kills the deal has at most one invoice and, without one,
// its entry is still queued; one more `refresh` after the killed processes' leases ran out leaves
// exactly one invoice and one note.
func TestKilledCreateAndRefreshLeaveOneInvoiceOrAQueuedOne(t *testing.T) {
	runs := proofRuns(t, defaultCrashRuns)
	seed := proofSeed(t)
	t.Logf("%d runs, seed %d (replay with %s=%d)", runs, seed, proofSeedEnv, seed)
	rng := mathrand.New(mathrand.NewPCG(seed, 0))
	for run := range runs {
		// The create makes about 12 requests and a refresh about 6; a k past the end lets it finish.
		killCreate, killRefresh := 1+rng.IntN(14), 1+rng.IntN(8)
		t.Run(fmt.Sprintf("run %d kill create at request %d refresh at %d", run, killCreate, killRefresh), func(t *testing.T) {
			w := newProofWorld(t, 0)
			deal := w.deals(t, 1)[0]

			create := w.child()
			create.Args = []string{"invoice", "create", "--deal", strconv.FormatInt(deal, 10), "--new-customer", "--accept-difference"}
			createKilled, out := runChildUntil(t, create, w.trip.arm(killCreate))
			if !createKilled && !strings.Contains(out, "created invoice") {
				t.Fatalf("invoice create ended without being killed or creating: %s", out)
			}
			refresh := w.child()
			refresh.Args, refresh.Later = []string{"refresh"}, 2*time.Minute
			runChildUntil(t, refresh, w.trip.arm(killRefresh))
			w.trip.arm(0)

			if w.assertOneInvoiceOrQueued(t, deal) {
				// The create died before it queued anything: the rep runs it again.
				runChild(t, create)
			}
			final := w.child()
			final.Args, final.Later = []string{"refresh"}, 4*time.Minute
			runChild(t, final)
			if got, notes := len(w.qb.Invoices()), w.notesByDeal()[deal]; got != 1 || notes != 1 {
				t.Errorf("after the last refresh: %d invoices and %d notes, want one of each", got, notes)
			}
		})
	}
}

// assertOneInvoiceOrQueued checks the deal after the kills: one invoice, or none and its entry pending.
// untouched reports that nothing was queued at all.
func (w *proofWorld) assertOneInvoiceOrQueued(t *testing.T, deal int64) (untouched bool) {
	t.Helper()
	invoices, notes := len(w.qb.Invoices()), w.notesByDeal()[deal]
	if invoices > 1 || notes > invoices {
		t.Fatalf("after the kills: %d invoices and %d notes for one draft", invoices, notes)
	}
	if invoices == 1 {
		return false
	}
	w.withRepo(t, 0, func(_ *invoicing.Service, repo *store.Repository) {
		pending, err := repo.PendingOutbox(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		// No entry at all: the create died before queueing, which leaves the deal as it was.
		if len(pending) > 1 || (len(pending) == 1 && pending[0].InQuickBooks()) {
			t.Errorf("no invoice in QuickBooks, and the outbox holds %+v", pending)
		}
		untouched = len(pending) == 0
	})
	return untouched
}

// runIn runs one command line against svc in this process and returns its exit code and output.
func runIn(svc *invoicing.Service, args ...string) (int, string) {
	var out strings.Builder
	code := Run(context.Background(), args, Env{Stdout: &out, Stderr: &out,
		OpenService: func(context.Context) (*invoicing.Service, func() error, error) {
			return svc, func() error { return nil }, nil
		}})
	return code, out.String()
}

// usdDeals returns every USD deal of the seeded company.
func (w *proofWorld) usdDeals() []int64 {
	var ids []int64
	for _, d := range w.data.Deals {
		if d.Currency == "USD" && d.Status != "deleted" {
			ids = append(ids, d.ID)
		}
	}
	return ids
}

// 100 creates whose every QuickBooks write is committed and its answer then lost (the connection drops)
// make 100 invoices: the repeat with the same request id gets the first answer back.
func TestCreatesWithTheAnswerDroppedAfterCommitMakeOneInvoiceEach(t *testing.T) {
	w := newProofWorld(t, 0)
	deals := w.usdDeals()
	const creates = 100
	w.withRepo(t, 0, func(svc *invoicing.Service, _ *store.Repository) {
		customer := ""
		for i := range creates {
			w.qb.Inject(qbofake.Script{Failure: qbofake.DropResponse, Times: 1, Match: "POST /invoice"})
			// Deals repeat, and their taxes differ from the company's: both are accepted, as the proof is about sending.
			args := []string{"invoice", "create", "--deal", strconv.FormatInt(deals[i%len(deals)], 10), "--json", "--another", "--accept-difference"}
			if customer == "" {
				w.qb.Inject(qbofake.Script{Failure: qbofake.DropResponse, Times: 1, Match: "POST /customer"})
				args = append(args, "--new-customer")
			} else {
				args = append(args, "--customer", customer)
			}
			code, out := runIn(svc, args...)
			if code != ExitOK || !strings.Contains(out, `"id"`) {
				t.Fatalf("create %d: exit %d: %s", i+1, code, out)
			}
			if customer == "" {
				customer = w.qb.Customers()[0].ID
			}
		}
	})
	dropped := 0
	for _, r := range w.qb.Requests() {
		if r.Dropped {
			dropped++
		}
	}
	if got := len(w.qb.Invoices()); got != creates || dropped != creates+1 {
		t.Errorf("QuickBooks holds %d invoices after %d dropped answers; want %d invoices after %d", got, dropped, creates, creates+1)
	}
	if got := len(w.qb.Customers()); got != 1 {
		t.Errorf("QuickBooks holds %d customers, want 1", got)
	}
}

// QuickBooks answering 503 to every try of a write leaves the invoice queued, said so, and sent once by
// the next refresh: whichever write fails, no second customer or invoice appears.
func TestServerErrorsOnEveryWriteQueueTheInvoiceOnce(t *testing.T) {
	for _, write := range []string{"POST /customer", "POST /invoice"} {
		t.Run(write, func(t *testing.T) {
			w := newProofWorld(t, 0)
			deal := w.deals(t, 1)[0]
			w.withRepo(t, 0, func(svc *invoicing.Service, _ *store.Repository) {
				w.trip.failQuickBooks(write)
				code, out := runIn(svc, "invoice", "create", "--deal", strconv.FormatInt(deal, 10), "--new-customer", "--accept-difference")
				if code != ExitOK || !strings.Contains(out, "queued") || len(w.qb.Invoices()) != 0 {
					t.Fatalf("create while QuickBooks fails %s: exit %d, %d invoices: %s", write, code, len(w.qb.Invoices()), out)
				}
				w.trip.failQuickBooks("")
				code, out = runIn(svc, "refresh")
				if code != ExitOK || !strings.HasPrefix(out, "1 queued invoice(s) sent") {
					t.Fatalf("refresh: exit %d: %s", code, out)
				}
			})
			if len(w.qb.Invoices()) != 1 || len(w.qb.Customers()) != 1 || w.notesByDeal()[deal] != 1 {
				t.Errorf("%d invoices, %d customers, %d notes; want one each", len(w.qb.Invoices()), len(w.qb.Customers()), w.notesByDeal()[deal])
			}
		})
	}
}

// A note that Pipedrive saved but whose answer never came back (the process might as well have died
// before recording it) is found on the deal by the next run and adopted: the deal has exactly one note.
func TestNoteSavedButAnswerLostLeavesOneNote(t *testing.T) {
	w := newProofWorld(t, 0)
	deal := w.deals(t, 1)[0]
	w.withRepo(t, 0, func(svc *invoicing.Service, _ *store.Repository) {
		w.pd.InjectFault(pipedrivefake.Fault{Method: http.MethodPost, Path: "/api/v1/notes", Drop: true})
		code, out := runIn(svc, "invoice", "create", "--deal", strconv.FormatInt(deal, 10), "--new-customer", "--accept-difference")
		if len(w.qb.Invoices()) != 1 || w.notesByDeal()[deal] != 1 {
			t.Fatalf("create with the note's answer lost: exit %d, %d invoices, %d notes: %s", code, len(w.qb.Invoices()), w.notesByDeal()[deal], out)
		}
	})
	// The next run, as after a restart, finishes the queued note step.
	w.withRepo(t, 0, func(svc *invoicing.Service, repo *store.Repository) {
		if code, out := runIn(svc, "refresh"); code != ExitOK {
			t.Fatalf("refresh: exit %d: %s", code, out)
		}
		pending, err := repo.PendingOutbox(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) != 0 {
			t.Errorf("%d outbox entries still pending after the refresh", len(pending))
		}
	})
	if n := w.notesByDeal()[deal]; n != 1 || len(w.qb.Invoices()) != 1 {
		t.Errorf("%d notes on the deal, %d invoices; want one each", n, len(w.qb.Invoices()))
	}
}

// QuickBooks leaving a write unanswered (before or after committing it) costs each try the client's
// timeout, then the invoice is queued, said so, and sent once by the next refresh: one invoice, one
// customer, one note.
func TestHangingWritesTimeOutAndQueueTheInvoiceOnce(t *testing.T) {
	for _, write := range []string{"POST /customer", "POST /invoice"} {
		for _, committed := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s committed=%v", write, committed), func(t *testing.T) {
				w := newProofWorld(t, 0)
				w.qbTimeout = 50 * time.Millisecond
				deal := w.deals(t, 1)[0]
				w.withRepo(t, 0, func(svc *invoicing.Service, _ *store.Repository) {
					w.trip.hangQuickBooks(t, write, committed)
					code, out := runIn(svc, "invoice", "create", "--deal", strconv.FormatInt(deal, 10), "--new-customer", "--accept-difference")
					if code != ExitOK || !strings.Contains(out, "queued") || w.notesByDeal()[deal] != 0 {
						t.Fatalf("create while QuickBooks hangs on %s: exit %d, %d notes: %s", write, code, w.notesByDeal()[deal], out)
					}
					if !committed && len(w.qb.Invoices()) != 0 {
						t.Fatalf("%d invoices although no invoice reached QuickBooks", len(w.qb.Invoices()))
					}
					w.trip.hangQuickBooks(t, "", false)
					code, out = runIn(svc, "refresh")
					if code != ExitOK || !strings.HasPrefix(out, "1 queued invoice(s) sent") {
						t.Fatalf("refresh: exit %d: %s", code, out)
					}
				})
				if len(w.qb.Invoices()) != 1 || len(w.qb.Customers()) != 1 || w.notesByDeal()[deal] != 1 {
					t.Errorf("%d invoices, %d customers, %d notes; want one each", len(w.qb.Invoices()), len(w.qb.Customers()), w.notesByDeal()[deal])
				}
			})
		}
	}
}
