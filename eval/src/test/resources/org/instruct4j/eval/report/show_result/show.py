"""Prints FastChat's show_result.py summaries of single.jsonl and pairwise.jsonl, with pandas showing the whole width.

Usage: python3 show.py FASTCHAT_CHECKOUT > show_result.txt (FastChat at 0e6d3e4beaab66f4d3f93db72541a4abab8af28d,
Debian's python3 3.11 and python3-pandas 1.5.3). The functions are show_result.py's own; only the pandas display width
is raised, so that no column is elided on an 80-column terminal.
"""
import argparse
import importlib.util
import sys

import pandas as pd

pd.set_option("display.width", 1000)
pd.set_option("display.max_columns", None)
spec = importlib.util.spec_from_file_location("show_result", sys.argv[1] + "/fastchat/llm_judge/show_result.py")
show_result = importlib.util.module_from_spec(spec)
spec.loader.exec_module(show_result)

for mode, file, display in [("single", "single.jsonl", show_result.display_result_single),
                            ("pairwise-all", "pairwise.jsonl", show_result.display_result_pairwise)]:
    print(f"Mode: {mode}")
    display(argparse.Namespace(bench_name="mt_bench", input_file=file, judge_model="gpt-4", baseline_model=None,
                               model_list=None, mode=mode))
