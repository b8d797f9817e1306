# convergence.gp: how the planners converge, one panel per configuration (replicate 0: a
# planner is deterministic), each on its own x range so that gamma = 0.5's 30 sweeps and
# gamma = 0.99's 2,300 are both readable: the largest value change of each sweep (delta, the
# stopping test, solid) and, where the exact optimum is known, the RMSE of the values against
# it (dashed), on one shared log y axis. Value iteration's lines fall geometrically, with
# slope gamma per sweep.
#
#   gnuplot -e "dir='results/x'" plots/convergence.gp
#   gridrl plot results/x --what convergence   (writes PLOTS/convergence.csv, then this)
#   gnuplot -e "dir='results/x'; data='results/x/plots/convergence.csv'; \
#               series='results/x/plots/convergence_series.tsv'" results/x/plots/convergence.gp
#
# Reads data (series, iteration, delta, value_rmse: replicate 0's rows of iterations.csv for
# each configuration drawn) and the tab-separated series file (series, experiment, config,
# label, colour, dash) that `gridrl plot` writes; without them, DIR/iterations.csv,
# DIR/runs.csv and DIR/configs.csv. Zeros cannot be drawn on a log scale and are left out.
#
# Variables (-e "name=value; ..."):
#   dir     the results directory (required)
#   data    the sweeps (default: replicate 0's rows of DIR/iterations.csv)
#   series  the panels (default: every configuration of DIR/configs.csv)
#   title   the figure's title (default: none)
#   term    pngcairo (default), svg or pdfcairo
#   out     the picture (default convergence.png in the current directory, .svg or .pdf)

if (!exists("dir")) exit error "convergence.gp: set dir, e.g. gnuplot -e \"dir='results/x'\" convergence.gp"
# Without data, the rows are DIR/iterations.csv's (run, iteration, delta, value_rmse, ...):
# replicate 0 of configuration k is run k * seeds (runs.csv), the series k.
standalone = !exists("data")
if (standalone) data = dir.'/iterations.csv'
if (!exists("title")) title = ''
if (!exists("term")) term = 'pngcairo'
extension = term eq 'svg' ? 'svg' : term eq 'pdfcairo' ? 'pdf' : 'png'
if (!exists("out")) {
    # Run on its own, the script draws into the current directory (gridrl plot sets out to
    # DIR/plots/...). No path is ever given to a shell.
    out = sprintf('convergence.%s', extension)
}

reset
set datafile nocolumnheaders
if (exists("series")) {
    set datafile separator tab
    stats series every ::1 using 1 nooutput
    n_series = STATS_records
    array sid[n_series]
    array label[n_series]
    array colour[n_series]
    i = 0
    stats series every ::1 using (i = i + 1, sid[i] = int($1), label[i] = strcol(4), \
          colour[i] = strcol(5), 0) nooutput
} else {
    # Each configuration's label from configs.csv ("algorithm, key = value, ..."), in the
    # Tableau 10 colours.
    set datafile separator comma
    stats dir.'/configs.csv' every ::0::0 using (0) nooutput
    n_columns = STATS_columns
    stats dir.'/configs.csv' every ::1 using 1 nooutput
    n_series = int(STATS_max) + 1
    array header[n_columns]
    array sid[n_series]
    array label[n_series]
    array colour[n_series]
    array tableau[10] = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', \
                         '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']
    do for [k=1:n_series] { sid[k] = k - 1; colour[k] = tableau[(k - 1) % 10 + 1] }
    stats dir.'/configs.csv' every ::0::0 using (sum [i=1:n_columns] (header[i] = strcol(i), 0)) nooutput
    stats dir.'/configs.csv' every ::1 using (k = int($1) + 1, label[k] = strcol(2), \
          sum [i=3:n_columns] (label[k] = label[k].', '.header[i].' = '.strcol(i), 0)) nooutput
}
seeds = 1
if (standalone) {
    set datafile separator comma
    set datafile columnheaders
    stats dir.'/runs.csv' using 3 nooutput
    seeds = int(STATS_max) + 1
}
# The series of a row (-1: not replicate 0 of a configuration).
id(r) = !standalone ? int(r) : int(r) % seeds == 0 ? int(r) / seeds : -1

# The panels: the series with sweeps (learners have none); whether any value_rmse is known;
# the y range all panels share.
set datafile separator comma
set datafile columnheaders
max_id = 0
do for [i=1:n_series] { max_id = sid[i] > max_id ? sid[i] : max_id }
array has_rows[max_id + 1]
do for [k=1:max_id + 1] { has_rows[k] = 0 }
positive(x) = x > 0 ? x : NaN
ylo = 1e300
yhi = 0
keep(v) = v == v && v > 0 ? (ylo = v < ylo ? v : ylo, yhi = v > yhi ? v : yhi, 1) : 0
has_rmse = 0
stats data using (k = id($1) + 1, k >= 1 && k <= max_id + 1 ? (has_rows[k] = 1, \
      keep(column(3)), r = keep(column(4)), has_rmse = has_rmse || r) : 0, 0) nooutput
drawn = ''
do for [i=1:n_series] { if (has_rows[sid[i] + 1]) { drawn = drawn.sprintf(' %d', i) } }
if (drawn eq '') exit error sprintf("convergence.gp: no sweeps in %s", data)
panels = words(drawn)
columns = panels < 3 ? panels : 3
rows = int((panels + columns - 1) / columns)

width = columns == 1 ? 700 : 330 * columns
height = 70 + 300 * rows
if (term eq 'pdfcairo') {
    eval sprintf("set terminal pdfcairo size %g,%g font ',10' enhanced", width / 72.0, height / 72.0)
} else {
    eval sprintf("set terminal %s size %d,%d font ',10' enhanced", term, width, height)
}
set output out
set encoding utf8

set logscale y
set format y '10^{%T}'
set yrange [10**floor(log10(ylo)):10**ceil(log10(yhi))]
set grid lc rgb '#e0e0e0' lt 1
set border 3
set tics nomirror
set xlabel 'iteration (sweep)'
set key top right noenhanced samplen 2
heading = (title eq '' ? '' : title."\n") \
          .'delta: the largest change of a value in the sweep'.(has_rmse ? '; RMSE of the values against the optimum' : '')
set multiplot layout rows, columns title heading noenhanced
# Another panel's rows are left out whole, x included, so each panel scales x to its own.
mine(k, x) = id($1) == k ? positive(x) : NaN
x_of(k) = id($1) == k ? $2 : NaN
do for [j=1:panels] {
    i = int(word(drawn, j))
    set title label[i] noenhanced
    if (has_rmse) {
        plot data using (x_of(sid[i])):(mine(sid[i], column(3))) with lines lw 1.5 lc rgb colour[i] title 'delta', \
             data using (x_of(sid[i])):(mine(sid[i], column(4))) with lines lw 1.5 dt 2 lc rgb colour[i] title 'RMSE'
    } else {
        plot data using (x_of(sid[i])):(mine(sid[i], column(3))) with lines lw 1.5 lc rgb colour[i] title 'delta'
    }
}
unset multiplot
