# convergence.gp: how the planners converge, one line per configuration (replicate 0: a
# planner is deterministic): the largest value change of each sweep (delta, the stopping
# test) and, where the exact optimum is known, the RMSE of the values against it, both on a
# log scale. Value iteration's lines fall geometrically, with slope gamma per sweep.
#
#   gnuplot -e "dir='results/x'" plots/convergence.gp
#
# Reads DIR/configs.csv, DIR/runs.csv and DIR/iterations.csv (run, iteration, delta,
# value_rmse, policy_changes). Zeros cannot be drawn on a log scale and are left out.
#
# Variables (-e "name=value; ..."):
#   dir     the results directory (required)
#   term    pngcairo (default), svg or pdfcairo
#   out     the picture (default convergence.png in the current directory, .svg or .pdf)

if (!exists("dir")) exit error "convergence.gp: set dir, e.g. gnuplot -e \"dir='results/x'\" convergence.gp"
if (!exists("term")) term = 'pngcairo'
extension = term eq 'svg' ? 'svg' : term eq 'pdfcairo' ? 'pdf' : 'png'
if (!exists("out")) {
    # Run on its own, the script draws into the current directory (gridrl plot sets out to
    # DIR/plots/...). No path is ever given to a shell.
    out = sprintf('convergence.%s', extension)
}

reset
set datafile separator comma
set datafile nocolumnheaders

# Each configuration's label from configs.csv: "algorithm, key = value, ...".
stats dir.'/configs.csv' every ::0::0 using (0) nooutput
n_columns = STATS_columns
stats dir.'/configs.csv' every ::1 using 1 nooutput
n_configs = int(STATS_max) + 1
array header[n_columns]
array label[n_configs]
stats dir.'/configs.csv' every ::0::0 using (sum [i=1:n_columns] (header[i] = strcol(i), 0)) nooutput
stats dir.'/configs.csv' every ::1 using (k = int($1) + 1, label[k] = strcol(2), \
      sum [i=3:n_columns] (label[k] = label[k].', '.header[i].' = '.strcol(i), 0)) nooutput

set datafile columnheaders
stats dir.'/runs.csv' using 3 nooutput
seeds = int(STATS_max) + 1

# Which configurations have sweeps (learners have none), and whether any value_rmse is known.
iterations = dir.'/iterations.csv'
array has_rows[n_configs]
do for [k=1:n_configs] { has_rows[k] = 0 }
positive(x) = x > 0 ? x : NaN
stats iterations using (r = int($1), (r % seeds == 0 ? has_rows[r / seeds + 1] = 1 : 0), \
      positive($4) == positive($4) ? 1 : 0) nooutput
has_rmse = STATS_sum > 0
drawn = ''
do for [k=1:n_configs] { if (has_rows[k]) { drawn = drawn.sprintf(' %d', k - 1) } }
if (drawn eq '') exit error sprintf("convergence.gp: no sweeps in %s", iterations)

width = 900
height = has_rmse ? 800 : 480
if (term eq 'pdfcairo') {
    eval sprintf("set terminal pdfcairo size %g,%g font ',11' enhanced", width / 72.0, height / 72.0)
} else {
    eval sprintf("set terminal %s size %d,%d font ',11' enhanced", term, width, height)
}
set output out

# A qualitative palette (Tableau 10), as in the learning curves.
array colour[10] = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', \
                    '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']
do for [k=1:10] { eval sprintf("set linetype %d lc rgb '%s' lw 1.5", k, colour[k]) }
set linetype cycle 10

set logscale y
set format y '10^{%T}'
set grid lc rgb '#e0e0e0' lt 1
set border 3
set tics nomirror
set key top right opaque box lc rgb '#c0c0c0'
set xlabel 'iteration (sweep)'

config(i) = int(word(drawn, i))
mine(k, x) = int($1) == k * seeds ? positive(x) : NaN

if (has_rmse) { set multiplot layout 2,1 }
set ylabel 'delta: largest change of a value in the sweep'
plot for [i=1:words(drawn)] iterations using 2:(mine(config(i), $3)) \
        with lines lc config(i) + 1 title label[config(i) + 1] noenhanced
if (has_rmse) {
    set ylabel 'RMSE of the values against the optimum'
    plot for [i=1:words(drawn)] iterations using 2:(mine(config(i), $4)) \
            with lines lc config(i) + 1 title label[config(i) + 1] noenhanced
    unset multiplot
}
