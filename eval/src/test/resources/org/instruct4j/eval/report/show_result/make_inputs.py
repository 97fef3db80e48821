"""Writes made-up MT-bench judgment files in FastChat's formats (fixed seed), for show_result.py to summarise."""
import json
import random

random.seed(15)
models = ["vicuna-13b-v1.3", "alpaca-13b", "gpt-4", "stories260K"]
with open("single.jsonl", "w") as out:
    for qid in range(81, 101):
        for turn in (1, 2):
            for m, model in enumerate(models):
                score = random.choice([-1] + list(range(1, 11)) + [7.5, 2.5]) if model != "gpt-4" else random.choice([8, 9, 10, 9.5])
                out.write(json.dumps({"question_id": qid, "model": model, "judge": ["gpt-4", "single-v1" if turn == 1 else "single-v1-multi-turn"],
                                      "user_prompt": "...", "judgment": "Rating: [[%s]]" % score, "score": score, "turn": turn,
                                      "tstamp": 1700000000.0}) + "\n")
with open("pairwise.jsonl", "w") as out:
    for qid in range(81, 101):
        for turn in (1, 2):
            for i in range(len(models)):
                for j in range(i + 1, len(models)):
                    g1, g2 = (random.choice(["model_1", "model_1", "model_2", "tie", "error"]) for _ in range(2))
                    out.write(json.dumps({"question_id": qid, "model_1": models[i], "model_2": models[j], "g1_winner": g1,
                                          "g2_winner": g2, "judge": ["gpt-4", "pair-v2"], "g1_user_prompt": "...",
                                          "g1_judgment": "...", "g2_user_prompt": "...", "g2_judgment": "...", "turn": turn,
                                          "tstamp": 1700000000.0}) + "\n")
