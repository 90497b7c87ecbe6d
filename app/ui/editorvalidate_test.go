package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

// The messages below are the sentences of assets/translations/en.json the rep reads.
const (
	notAnEmail     = "This is not an e-mail address."
	quantityNotPos = "The quantity must be more than zero."
	priceNegative  = "The unit price cannot be negative; use a discount instead."
	notANumber     = "Enter a number, such as 2 or 19.99."
)

func TestABadEmailIsFlaggedAsTypedWithTheWordsCreateUses(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor
	under := e.problems["customer.email"]

	test.Type(e.email, " at acme") // billing@acme.example at acme
	if !under.Visible() || under.Text != notAnEmail {
		t.Fatalf("while typing, under E-mail: %q (visible %v), want %q", under.Text, under.Visible(), notAnEmail)
	}
	for field, l := range e.problems {
		if field != "customer.email" && l.Visible() {
			t.Errorf("%s says %q though the rep did not touch it", field, l.Text)
		}
	}

	test.Tap(e.create)
	if len(svc.created) != 0 {
		t.Fatal("Create sent a draft with a bad e-mail address")
	}
	if under.Text != notAnEmail {
		t.Errorf("Create says %q under E-mail, typing said %q", under.Text, notAnEmail)
	}
	if m.window.Canvas().Focused() != e.email {
		t.Errorf("Create left the focus on %T, want the E-mail field", m.window.Canvas().Focused())
	}

	e.email.SetText("billing@acme.example")
	if under.Visible() {
		t.Errorf("the message %q stays after the rep fixed the address", under.Text)
	}
	test.Tap(e.create)
	if len(svc.created) != 1 {
		t.Errorf("after the fix Create sent %d invoices, want 1", len(svc.created))
	}
}

func TestAFreshFormShowsNoProblemsUntilTouchedOrCreated(t *testing.T) {
	svc := sampleService()
	// As Pipedrive can hand it over: a person's e-mail field holding a phrase, and no currency.
	svc.built.Draft.Customer.Email = "ask reception"
	svc.built.Draft.Currency = ""
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor

	for field, l := range e.problems {
		if l.Visible() {
			t.Errorf("the new form shouts at %s: %q", field, l.Text)
		}
	}
	e.to.SetText("Acme B.V.") // touching one field shows that field's problems only
	if e.problems["customer.email"].Visible() || e.problems["currency"].Visible() {
		t.Error("editing the name showed the problems of other fields")
	}

	test.Tap(e.create)
	for field, want := range map[string]string{"customer.email": notAnEmail, "currency": "Enter the currency, such as EUR."} {
		if l := e.problems[field]; !l.Visible() || l.Text != want {
			t.Errorf("after Create %s says %q (visible %v), want %q", field, l.Text, l.Visible(), want)
		}
	}
	// Reading order: the customer's e-mail comes before the currency.
	if m.window.Canvas().Focused() != e.email {
		t.Errorf("Create focused %T, want the E-mail field, the first at fault", m.window.Canvas().Focused())
	}
}

func TestLineQuantityAndPriceAreFlaggedOnTheirOwnLine(t *testing.T) {
	for _, c := range []struct {
		name, quantity, price, want string
	}{
		{"zero quantity", "0", "100", quantityNotPos},
		{"negative quantity", "-1", "100", quantityNotPos},
		{"negative price", "1", "-5", priceNegative},
		{"quantity not a number", "two", "100", notANumber},
		{"price not a number", "1", "12,50 EUR", notANumber},
		{"sixteen digits", "1234567890123456", "1", "This number has more than 15 digits."},
	} {
		t.Run(c.name, func(t *testing.T) {
			svc := sampleService()
			m := newScreensWindow(t, svc, &savedFile{})
			e := openEditor(t, m).editor
			test.Tap(e.addLine)
			second := e.lines[1]
			second.name.SetText("Setup")
			second.price.SetText("50")
			if second.problem.Visible() || e.lines[0].problem.Visible() {
				t.Fatalf("a valid second line is flagged: %q / %q", e.lines[0].problem.Text, second.problem.Text)
			}

			second.quantity.SetText(c.quantity)
			second.price.SetText(c.price)
			if !second.problem.Visible() || second.problem.Text != c.want {
				t.Errorf("line 2 says %q (visible %v), want %q", second.problem.Text, second.problem.Visible(), c.want)
			}
			if e.lines[0].problem.Visible() {
				t.Errorf("line 1 says %q for line 2's fault", e.lines[0].problem.Text)
			}

			test.Tap(e.create)
			if len(svc.created) != 0 {
				t.Fatal("Create sent a draft with a bad line")
			}
			if second.problem.Text != c.want {
				t.Errorf("after Create line 2 says %q, typing said %q", second.problem.Text, c.want)
			}
			focused := m.window.Canvas().Focused()
			if focused != second.quantity && focused != second.price {
				t.Errorf("Create focused %T, want line 2's quantity or price", focused)
			}
		})
	}
}

func TestCreateFocusesTheLineFieldAtFault(t *testing.T) {
	m := newScreensWindow(t, sampleService(), &savedFile{})
	e := openEditor(t, m).editor
	e.lines[0].price.SetText("-1")
	m.window.Canvas().Focus(e.memo)

	test.Tap(e.create)

	if m.window.Canvas().Focused() != e.lines[0].price {
		t.Errorf("Create focused %T, want the line's unit price", m.window.Canvas().Focused())
	}
}

func TestRemovingALineMovesItsNeighboursMessagesUp(t *testing.T) {
	m := newScreensWindow(t, sampleService(), &savedFile{})
	e := openEditor(t, m).editor
	test.Tap(e.addLine)
	e.lines[1].name.SetText("Setup")
	e.lines[1].price.SetText("-5")

	var remove *widget.Button
	walk(e.lines[0].content, func(o any) {
		if b, ok := o.(*widget.Button); ok {
			remove = b
		}
	})
	test.Tap(remove)

	if l := e.lines[0].problem; !l.Visible() || l.Text != priceNegative {
		t.Errorf("the remaining line says %q (visible %v), want %q", l.Text, l.Visible(), priceNegative)
	}
}

func TestALineWithoutAnItemIsFlaggedWhenThePreferencesNameNone(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	m.deps.Preferences = &fakePreferences{prefs: invoicing.DefaultPreferences()} // no default item chosen
	e := openEditor(t, m).editor

	test.Tap(e.addLine)
	e.lines[1].name.SetText("Setup")
	e.lines[1].price.SetText("50")
	if l := e.lines[1].problem; l.Visible() {
		t.Errorf("the line's item list, untouched, is flagged before Create: %q", l.Text)
	}
	test.Tap(e.create)
	want := "Choose a default QuickBooks item in the preferences for products QuickBooks does not know."
	if l := e.lines[1].problem; !l.Visible() || l.Text != want {
		t.Errorf("a line with no item and no default says %q (visible %v), want %q", l.Text, l.Visible(), want)
	}
	if len(svc.created) != 0 || m.window.Canvas().Focused() != e.lines[1].item {
		t.Errorf("Create sent %d invoices and focused %T; want none sent and the line's item list", len(svc.created), m.window.Canvas().Focused())
	}

	e.lines[1].item.SetSelectedIndex(1)
	if l := e.lines[1].problem; l.Visible() {
		t.Errorf("the line still says %q after an item was chosen", l.Text)
	}
	test.Tap(e.create)
	if len(svc.created) != 1 || svc.created[0].Lines[1].ItemRef != "6" {
		t.Errorf("created %d invoices, want 1 with the chosen item", len(svc.created))
	}
}

func TestTheDefaultItemSatisfiesTheItemRule(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	prefs := invoicing.DefaultPreferences()
	prefs.DefaultItemID = "5"
	m.deps.Preferences = &fakePreferences{prefs: prefs}
	e := openEditor(t, m).editor

	test.Tap(e.addLine)
	e.lines[1].name.SetText("Setup")
	e.lines[1].price.SetText(testkit.Dec("50").String())
	if l := e.lines[1].problem; l.Visible() {
		t.Errorf("a line on the default item says %q", l.Text)
	}
}
