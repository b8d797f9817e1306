# grid.gp: one configuration's policy and state values drawn on its map, as Zhao's
# Mathematical Foundations of RL draws them: the policy on the left (arrows whose length
# grows with the action's probability, a circle as wide as an arrow for "stay"), the values
# on the right (one number per cell). A sure action's arrow is centred in its cell; the
# arrows of a stochastic choice start at the centre. Forbidden cells are orange, the target
# cyan, walls dark grey, cliff cells dark red (nothing drawn on them: the agent never stays
# there) and holes black; start cells are marked S and targets G, and a key under the
# panels names the colours. Replicate 0 of the configuration is drawn (run = config * seeds),
# and the title says so.
#
#   gnuplot -e "dir='results/x'" plots/grid.gp           (after gridrl plot wrote arrows.csv)
#   gnuplot -e "dir='results/x'; config=2; heat=1; term='svg'" plots/grid.gp
#
# Reads DIR/configs.csv, DIR/runs.csv, DIR/values.csv (the cell kinds: its `cell` column) and
# DIR/plots/arrows.csv, which `gridrl plot` derives from policy.csv: one row per decision
# state and action with x = col, y = row (row 0 at the top), the arrow's displacement dx, dy,
# whose length is the probability times 0.42 cells, and its tail x0, y0 (the circle of "stay"
# has the arrow's length as its diameter).
#
# Variables (-e "name=value; ..."):
#   dir     the results directory (required)
#   config  the configuration to draw (default 0)
#   label   what the configuration is (default: from configs.csv), and title, the
#           experiment (default none): the picture's title
#   heat    1 colours the plain cells by their value (default 0: white, as in the book)
#   fmt     the format of the values (default '%.1f', the books' precision)
#   arrows  the arrow file (default DIR/plots/arrows.csv)
#   term    pngcairo (default), svg or pdfcairo
#   out     the picture (default DIR/plots/grid_CONFIG.png, .svg or .pdf)

if (!exists("dir")) exit error "grid.gp: set dir, e.g. gnuplot -e \"dir='results/x'\" grid.gp"
if (!exists("config")) config = 0
if (!exists("heat")) heat = 0
if (!exists("fmt")) fmt = '%.1f'
if (!exists("arrows")) arrows = dir.'/plots/arrows.csv'
if (!exists("term")) term = 'pngcairo'
extension = term eq 'svg' ? 'svg' : term eq 'pdfcairo' ? 'pdf' : 'png'
if (!exists("out")) out = sprintf('%s/plots/grid_%d.%s', dir, config, extension)

reset
set datafile separator comma
set datafile nocolumnheaders

# The configuration's label from configs.csv: "algorithm, key = value, ...".
stats dir.'/configs.csv' every ::0::0 using (0) nooutput
n_columns = STATS_columns
array header[n_columns]
stats dir.'/configs.csv' every ::0::0 using (sum [i=1:n_columns] (header[i] = strcol(i), 0)) nooutput
found = ''
stats dir.'/configs.csv' every ::1 using (int($1) == config ? (found = strcol(2), \
      sum [i=3:n_columns] (found = found.', '.header[i].' = '.strcol(i), 0)) : 0) nooutput
if (found eq '') exit error sprintf("grid.gp: no configuration %d in %s/configs.csv", config, dir)
if (!exists("label")) label = found
if (!exists("title")) title = ''

set datafile columnheaders
stats dir.'/runs.csv' using 3 nooutput
seeds = int(STATS_max) + 1
run = config * seeds
figure_title = (title eq '' ? '' : title."\n").label \
               .(seeds > 1 ? sprintf(': replicate 0 of %d (run %d)', seeds, run) : '')

values = dir.'/values.csv'
mine(x) = int($1) == run ? x : NaN
stats values using (mine($4)):(mine($3)) nooutput
cols = int(STATS_max_x) + 1
rows = int(STATS_max_y) + 1
# The values' range and longest text; a run may have no values at all (the random agent's).
vmin = 1e308
vmax = -1e308
longest = 1
# (column(6), not $6: a $6 anywhere makes gnuplot drop the rows where it is empty.)
stats values using (int($1) == run && valid(6) && strcol(5) ne 'C' ? (v = column(6), vmin = v < vmin ? v : vmin, \
      vmax = v > vmax ? v : vmax, n = strlen(sprintf(fmt, v + 0.0)), \
      longest = n > longest ? n : longest, 0) : 0) nooutput
has_values = vmin <= vmax
if (!has_values) { vmin = 0; vmax = 1 }
if (vmin == vmax) { vmax = vmin + 1 }
# Each state's map character: nothing is drawn on cliff cells, which the agent never occupies
# (it is sent back to the start), though the model gives them a policy and a value.
array kind[rows * cols]
stats values using (int($1) == run ? (kind[int($2) + 1] = strcol(5), 0) : 0) nooutput
cliff(state) = kind[int(state) + 1] eq 'C'
# Which kinds the map has, for the key.
present = ''
do for [c=1:rows * cols] { if (strstrt(present, kind[c]) == 0) { present = present.kind[c] } }

# Book colours per map character; plain and start cells are white (or the heat map).
cell_rgb(c) = c eq 'X' ? 0xF5A742 : c eq 'G' ? 0x4DD0E1 : c eq '#' ? 0x505050 : \
              c eq 'C' ? 0x8B1A1A : c eq 'H' ? 0x111111 : 0xFFFFFF
plain(c) = c eq '.' || c eq 'S'
dark(c) = c eq '#' || c eq 'C' || c eq 'H'

# Cells of about 64 px on small maps, fewer on large ones; two panels side by side, or one
# above the other for wide maps such as cliff walking. Every margin is set in pixels, so the
# cells are square and both panels the same size, with room for the heat map's colour bar.
cell = rows > cols ? rows : cols
pixels = cell <= 8 ? 64 : cell <= 16 ? 44 : cell <= 40 ? 22 : 900.0 / cell
stacked = cols >= 2 * rows
grid_w = cols * pixels
grid_h = rows * pixels
left = 45
right = 25
top = 55
bottom = 20
key_height = 34
heading = title eq '' ? 35 : 52
bar = heat && has_values ? 90 : 0
panel_w = left + grid_w + right
panel_h = top + grid_h + bottom
width = 1.0 * ((stacked ? panel_w : 2 * panel_w) + bar)  # floating point: screen fractions
height = 1.0 * (heading + (stacked ? 2 * panel_h : panel_h) + key_height)
font_size = pixels >= 44 ? 12 : pixels >= 22 ? 9 : 7
if (term eq 'pdfcairo') {
    eval sprintf("set terminal pdfcairo size %g,%g font ',%d' noenhanced", width / 72.0, height / 72.0, font_size)
} else {
    eval sprintf("set terminal %s size %d,%d font ',%d' noenhanced", term, int(width), int(height), font_size)
}
# Panel k's grid, in screen coordinates (0 to 1 from the bottom left).
grid_left(k) = (stacked ? left : k * panel_w + left) / width
grid_right(k) = grid_left(k) + grid_w / width
grid_top(k) = (height - heading - top - (stacked ? k * panel_h : 0)) / height
grid_bottom(k) = grid_top(k) - grid_h / height
set output out

show_numbers = cell <= 20 && has_values
# As large as the books' numbers, but small enough for the longest one to fit its cell.
fit = floor(0.8 * pixels / (0.85 * longest))
value_font = sprintf(',%d', fit < 13 ? (fit < 6 ? 6 : fit) : 13)
tic_step = cell <= 20 ? 1 : cell <= 60 ? 5 : 10

set xrange [-0.5:cols - 0.5]
set yrange [rows - 0.5:-0.5]
unset key
unset border
set link x2
set x2tics tic_step scale 0 nomirror offset 0,-0.3 textcolor rgb '#606060'
set ytics tic_step scale 0 nomirror textcolor rgb '#606060'
unset xtics
set style fill solid 1.0 border lc rgb '#303030'
# The heat map's blues stay clear of the cell kinds' colours and keep black numbers legible.
if (bar) {
    set palette defined (0 '#f7fcfd', 0.5 '#bfd3e6', 1 '#8c96c6')
    set cbrange [vmin:vmax]
    set colorbox user origin screen grid_right(1) + 15.0 / width, grid_bottom(1) \
        size screen 15.0 / width, grid_h / height
}
unset colorbox

# Arrow heads in ten sizes, a third of the arrow's length, so that the arrows of a
# stochastic policy (0.2 each for the uniform one) still show their shafts.
do for [k=1:10] {
    eval sprintf("set style arrow %d head filled size %g,25 lw %g lc rgb '#1B7F3B'", \
                 k, 0.014 * k, pixels >= 44 ? 2.0 : 1.2)
}
head(p) = p >= 1 ? 10 : ceil(p * 10)
wanted(p) = int($1) == config && p > 0 && !cliff($3)

cells = "values using (mine($4)):3:(0.5):(0.5):(cell_rgb(strcol(5))) with boxxyerror fc rgb variable"

set multiplot title figure_title
panel(k) = sprintf("set lmargin at screen %g; set rmargin at screen %g; ", \
                   grid_left(k), grid_right(k)) \
           .sprintf("set tmargin at screen %g; set bmargin at screen %g", \
                    grid_top(k), grid_bottom(k))

# S and G in the top-left corner of start and target cells, in both panels.
mark_font = sprintf(',%d', pixels >= 44 ? 9 : pixels >= 22 ? 7 : 5)
marks = "values using (mine(strcol(5) eq 'S' || strcol(5) eq 'G' ? $4 - 0.36 : NaN)):($3 - 0.3)" \
        .":(strcol(5)) with labels font mark_font tc rgb '#404040' left"
# The key: a swatch and a name for each kind of cell on this map, under the panels.
kind_name(c) = c eq 'S' ? 'start (S)' : c eq 'G' ? 'target (G)' : c eq 'X' ? 'forbidden' : \
               c eq '#' ? 'wall' : c eq 'C' ? 'cliff' : c eq 'H' ? 'hole' : ''
key_kinds = ''
do for [k=1:strlen('SGX#CH')] {
    c = substr('SGX#CH', k, k)
    if (strstrt(present, c) > 0) { key_kinds = key_kinds.c }
}
swatch(i) = substr(key_kinds, i, i)
# Drawn as objects and labels at fixed places: gnuplot's own key would wrap in a narrow panel.
key_w = 120.0
key_x0 = (width - strlen(key_kinds) * key_w) / 2
do for [i=1:strlen(key_kinds)] {
    x = (key_x0 + (i - 1) * key_w) / width
    eval sprintf("set object %d rect from screen %g, %g to screen %g, %g fc rgb %d " \
                 ."fs solid 1.0 border lc rgb '#303030' front", 100 + i, x, 10.0 / height, \
                 x + 14.0 / width, 24.0 / height, cell_rgb(swatch(i)))
    eval sprintf("set label %d '%s' at screen %g, %g left front", 100 + i, \
                 kind_name(swatch(i)), x + 20.0 / width, 17.0 / height)
}

eval panel(0)
set title 'policy'
# A sure action's arrow is centred (its tail at x0, y0); stay's circle is as wide as an arrow.
plot @cells, \
     arrows using (wanted($7) && strcol(6) ne 'stay' ? $12 : NaN):13:10:11:(head($7)) \
        with vectors arrowstyle variable, \
     arrows using (wanted($7) && strcol(6) eq 'stay' ? $8 : NaN):9:($7 * 0.21) \
        with circles lc rgb '#1B7F3B' lw (pixels >= 44 ? 2 : 1) fs empty border lc rgb '#1B7F3B', \
     @marks
do for [i=1:strlen(key_kinds)] { eval sprintf("unset object %d; unset label %d", 100 + i, 100 + i) }

eval panel(1)
set title 'state values'
heat_map = "values using (mine(plain(strcol(5)) ? $4 : NaN)):3:(0.5):(0.5):6 with boxxyerror fc palette"
numbers = "values using (strcol(5) ne 'C' ? mine($4) : NaN):3:(sprintf(fmt, $6 + 0.0))" \
          .":(dark(strcol(5)) ? 0xFFFFFF : 0x000000) with labels font value_font tc rgb variable"
layers = cells.(bar ? ', '.heat_map : '').(show_numbers ? ', '.numbers : '').', '.marks
if (bar) { set colorbox }
plot @layers
unset multiplot
