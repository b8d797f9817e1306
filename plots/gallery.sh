#!/usr/bin/env bash
# Regenerates the README's gallery (plots/gallery/*.png) from the shipped configs, with the
# commands the README shows under each picture (into a temporary folder instead of
# results/). Run from the repository's top folder after building:
#   bash plots/gallery.sh [BUILD_DIR]   (default build)
# Sutton & Barto's Fig 6.3 runs its asymptotic experiment: about a minute on 2 cores (its
# episodes.csv keeps one episode in 1,000: 3 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
gridrl="${1:-build}/gridrl"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
configs=experiments/configs
gallery=plots/gallery
mkdir -p "$gallery"

"$gridrl" run "$configs/zhao_fig3_4a.ini" -o "$out/zhao_fig3_4a" -q
"$gridrl" plot "$out/zhao_fig3_4a" --what grid
cp "$out/zhao_fig3_4a/plots/grid_0.png" "$gallery/zhao_fig3_4a_grid.png"

"$gridrl" run "$configs/sb_example6_6_cliff.ini" -o "$out/sb_example6_6_cliff" -q
"$gridrl" plot "$out/sb_example6_6_cliff" --smooth 10 --ymin -100 --ymax 0
cp "$out/sb_example6_6_cliff/plots/learning_curve_return.png" "$gallery/sb_example6_6_cliff_curves.png"
cp "$out/sb_example6_6_cliff/plots/grid_1.png" "$gallery/sb_example6_6_cliff_q_learning_grid.png"

"$gridrl" run "$configs/sb_fig6_3_asymptotic.ini" -o "$out/sb_fig6_3_asymptotic" -q
"$gridrl" run "$configs/sb_fig6_3_interim.ini" -o "$out/sb_fig6_3_interim" -q
"$gridrl" plot "$out/sb_fig6_3_asymptotic" "$out/sb_fig6_3_interim" --what sweep --ymin -160 --ymax 0 -o "$out/fig6_3"
cp "$out/fig6_3/sweep_return.png" "$gallery/sb_fig6_3_sweep.png"
rm -rf "$out/sb_fig6_3_asymptotic"

"$gridrl" run "$configs/zhao_fig7_2_sarsa.ini" -o "$out/zhao_fig7_2_sarsa" -q
"$gridrl" plot "$out/zhao_fig7_2_sarsa" --what curves --metric return,length
cp "$out/zhao_fig7_2_sarsa/plots/learning_curve_return_length.png" "$gallery/zhao_fig7_2_sarsa_return_length.png"

"$gridrl" run "$configs/zhao_fig7_4_offpolicy_q.ini" -o "$out/zhao_fig7_4_offpolicy_q" -q
"$gridrl" plot "$out/zhao_fig7_4_offpolicy_q" --what steps
cp "$out/zhao_fig7_4_offpolicy_q/plots/steps_value_rmse.png" "$gallery/zhao_fig7_4_offpolicy_q_steps.png"

"$gridrl" run "$configs/zhao_fig8_11_dqn.ini" -o "$out/fig8_11" -q
"$gridrl" plot "$out/fig8_11" --what updates
cp "$out/fig8_11/plots/updates_value_rmse.png" "$gallery/zhao_fig8_11_dqn_value_rmse.png"

"$gridrl" run "$configs/zhao_fig3_4a.ini" -s agent.gamma=0.5,0.9,0.99 -o "$out/vi_gamma" -q
"$gridrl" plot "$out/vi_gamma" --what convergence
cp "$out/vi_gamma/plots/convergence.png" "$gallery/zhao_fig3_4a_gamma_convergence.png"

"$gridrl" run "$configs/zhao_fig8_7_td_linear.ini" -o "$out/zhao_fig8_7_td_linear" -q
"$gridrl" plot "$out/zhao_fig8_7_td_linear" --what curves,surface --metric value_rmse
cp "$out/zhao_fig8_7_td_linear/plots/learning_curve_value_rmse.png" "$gallery/zhao_fig8_7_td_linear_rmse.png"
cp "$out/zhao_fig8_7_td_linear/plots/surface_5.png" "$gallery/zhao_fig8_8_surface.png"

"$gridrl" run "$configs/sb_fig8_2_dyna_maze.ini" -o "$out/sb_fig8_2_dyna_maze" -q
"$gridrl" plot "$out/sb_fig8_2_dyna_maze" --what curves --metric length --ymax 800
cp "$out/sb_fig8_2_dyna_maze/plots/learning_curve_length.png" "$gallery/sb_fig8_2_dyna_maze_length.png"

"$gridrl" run "$configs/sb_fig8_4_blocking_maze.ini" -o "$out/sb_fig8_4_blocking_maze" -q
"$gridrl" plot "$out/sb_fig8_4_blocking_maze" --what steps
cp "$out/sb_fig8_4_blocking_maze/plots/steps_cumulative_reward.png" "$gallery/sb_fig8_4_blocking_maze.png"

"$gridrl" run "$configs/sb_fig8_5_shortcut_maze.ini" -o "$out/sb_fig8_5_shortcut_maze" -q
"$gridrl" plot "$out/sb_fig8_5_shortcut_maze" --what steps
cp "$out/sb_fig8_5_shortcut_maze/plots/steps_cumulative_reward.png" "$gallery/sb_fig8_5_shortcut_maze.png"

"$gridrl" run "$configs/sb_fig6_5_maximization_bias.ini" -o "$out/sb_fig6_5_maximization_bias" -q
"$gridrl" plot "$out/sb_fig6_5_maximization_bias" --what curves
cp "$out/sb_fig6_5_maximization_bias/plots/choices_fraction.png" "$gallery/sb_fig6_5_maximization_bias.png"

echo "gallery regenerated in $gallery/"
