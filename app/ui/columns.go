package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// columns puts cells side by side, each taking its weight's share of the width, so a header and every row
// under it keep their columns aligned whatever their contents. A column never gets less than its minimum
// width (mins, if set); when the width cannot hold them all, the columns in hide go first, in that order,
// so a narrow window drops the least important columns instead of drawing cells over each other.
type columns struct {
	weights []float32 // one per cell
	mins    []float32 // one per cell, or nil for none
	hide    []int     // the cells to hide, least important first, when the minimums do not fit
}

// shown says which cells fit in width.
func (c columns) shown(n int, width float32) []bool {
	show := make([]bool, n)
	for i := range show {
		show[i] = true
	}
	if c.mins == nil {
		return show
	}
	pad := theme.Padding()
	need := func() float32 {
		var sum float32
		count := 0
		for i, s := range show {
			if s {
				sum += c.mins[i]
				count++
			}
		}
		return sum + pad*float32(max(count-1, 0))
	}
	for _, h := range c.hide {
		if need() <= width {
			break
		}
		show[h] = false
	}
	return show
}

func (c columns) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	show := c.shown(len(objects), size.Width)
	count := 0
	var total, mins float32
	for i := range objects {
		if show[i] {
			count++
			total += c.weights[i]
			if c.mins != nil {
				mins += c.mins[i]
			}
		}
	}
	width := size.Width - pad*float32(max(count-1, 0))
	extra := max(width-mins, 0) // shared by weight, over each column's minimum
	x := float32(0)
	for i, o := range objects {
		if !show[i] {
			o.Hide()
			continue
		}
		o.Show()
		w := extra * c.weights[i] / total
		if c.mins != nil {
			w += c.mins[i]
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + pad
	}
}

func (c columns) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var height float32
	for _, o := range objects {
		height = max(height, o.MinSize().Height)
	}
	return fyne.NewSize(float32(len(objects))*theme.Padding(), height)
}

// textWidth is the width a label needs to show text whole.
func textWidth(text string, style fyne.TextStyle) float32 {
	return fyne.MeasureText(text, theme.TextSize(), style).Width + 2*theme.InnerPadding()
}
