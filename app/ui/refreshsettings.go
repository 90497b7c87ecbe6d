package ui

import (
	"context"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// refreshSettingsView is the Settings card of the background refresh: how often, and whether to notify.
type refreshSettingsView struct {
	m        *MainWindow
	content  fyne.CanvasObject
	interval *widget.Select
	notify   *widget.Check
	deals    *widget.Label // how often new deals are fetched (dealListingHint)
}

func newRefreshSettingsView(m *MainWindow) *refreshSettingsView {
	v := &refreshSettingsView{m: m}
	names := make([]string, len(refreshChoices))
	for i, minutes := range refreshChoices {
		names[i] = intervalName(minutes)
	}
	v.interval = widget.NewSelect(names, nil)
	v.notify = widget.NewCheck(lang.X("settings.refresh.notify", "Notify me when an invoice is paid or becomes overdue"), nil)
	v.interval.Disable()
	v.notify.Disable()
	v.deals = label(&widget.Label{Text: dealListingHint(), Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord})
	v.content = container.NewVBox(widget.NewForm(
		widget.NewFormItem(lang.X("settings.refresh.interval", "Refresh invoices"), wideSelect(v.interval)),
		widget.NewFormItem("", container.NewHBox(v.notify)),
	), v.deals)
	v.load()
	return v
}

// dealListingHint says how often the background refresh fetches new deals (dealListingEvery), and how to
// fetch them at once.
func dealListingHint() string {
	return lang.X("settings.refresh.deals_hint",
		"New deals are fetched at start, at most every {{.Minutes}} minutes while refreshing, and whenever you choose {{.GetNewDeals}} ({{.Key}}).",
		map[string]any{"Minutes": int(dealListingEvery / time.Minute), "GetNewDeals": lang.X("deals.refresh", "Get new deals"),
			"Key": shortcutText(keyRefresh)})
}

func intervalName(minutes int) string {
	if minutes == 0 {
		return lang.X("settings.refresh.never", "Only when I ask")
	}
	return lang.X("settings.refresh.every", "Every {{.Minutes}} minutes", map[string]any{"Minutes": minutes})
}

// load shows the saved choices, then lets the rep change them.
func (v *refreshSettingsView) load() {
	read := func(ctx context.Context) (refreshSettings, error) {
		return readRefreshSettings(ctx, v.m.deps.Settings), nil
	}
	call(v.m.bg, localCall, read, func(s refreshSettings, _ error) {
		v.interval.SetSelected(intervalName(s.minutes))
		v.notify.SetChecked(s.notify)
		v.interval.OnChanged = func(string) {
			v.save(settingRefreshMinutes, strconv.Itoa(refreshChoices[v.interval.SelectedIndex()]))
		}
		v.notify.OnChanged = func(on bool) {
			value := "on"
			if !on {
				value = "off"
			}
			v.save(settingNotify, value)
		}
		v.interval.Enable()
		v.notify.Enable()
	})
}

// save stores one choice in the background; the next refresh pass reads it.
func (v *refreshSettingsView) save(key, value string) {
	v.m.bg.do(localCall, func(ctx context.Context) error {
		if err := v.m.deps.Settings.SetSetting(ctx, key, value); err != nil {
			v.m.deps.Log.Error("save refresh setting", "key", key, "err", err)
		}
		return nil
	}, nil)
}
