"""Renders the MT-bench judge calls and answer conversations with FastChat's own code, for instruct4j's tests.

Usage: python3 render.py FASTCHAT_CHECKOUT
(a checkout of https://github.com/lm-sys/FastChat; the fixtures here were made at commit
0e6d3e4beaab66f4d3f93db72541a4abab8af28d with Debian's python3 3.11 and python3-pandas/numpy).

Nothing is sent anywhere: the API calls of FastChat's llm_judge are replaced by functions that record the messages,
temperature and max_tokens FastChat would send, and answer with a fixed text. Only modules that need packages unused
by the recorded code paths (openai, anthropic, torch, tqdm, shortuuid, the model adapter that loads local models) are
stubbed; the chat template of an OpenAI model ("chatgpt", what FastChat's ChatGPTAdapter returns for gpt-4 and
gpt-3.5-turbo) comes from FastChat's own conversation.py.
"""
import argparse
import json
import os
import sys
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))
fastchat_checkout = sys.argv[1]
sys.path.insert(0, fastchat_checkout)


def stub(name, **attributes):
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    return module


stub("openai")
stub("anthropic")
stub("shortuuid", uuid=lambda: "shortuuid")
stub("tqdm", tqdm=lambda iterable, **kwargs: iterable)
from fastchat.conversation import get_conv_template  # noqa: E402

stub("fastchat.model")
stub("fastchat.model.model_adapter", get_conversation_template=lambda model: get_conv_template("chatgpt"),
     OPENAI_MODEL_LIST=("gpt-4", "gpt-3.5-turbo"), ANTHROPIC_MODEL_LIST=())
stub("fastchat.llm_judge.gen_model_answer", reorg_answer_file=None)

from fastchat.llm_judge import common, gen_judgment, gen_api_answer  # noqa: E402

calls = []


def recorded_completion(model, conv, temperature, max_tokens, api_dict=None):
    messages = conv.to_openai_api_messages()
    calls.append({"model": model, "messages": messages, "temperature": temperature, "max_tokens": max_tokens})
    prompt = messages[-1]["content"]
    if "[[rating]]" in messages[0]["content"] + prompt:
        return "The answer is adequate.\n\nRating: [[7]]"
    if "[[A]]" in messages[0]["content"]:
        return "Assistant A is better.\n\n[[A]]"
    return "Reply %d of %s." % (len(calls), model)


common.chat_completion_openai = recorded_completion
gen_api_answer.chat_completion_openai = recorded_completion

data = os.path.join(HERE, "input")
questions = common.load_questions(os.path.join(data, "question.jsonl"), None, None)
model_answers = common.load_model_answers(os.path.join(data, "model_answer"))
ref_answers = common.load_model_answers(os.path.join(data, "reference_answer"))
judge_prompts = common.load_judge_prompts(os.path.join(fastchat_checkout, "fastchat/llm_judge/data/judge_prompts.jsonl"))
models = ["model-x", "model-y"]
question_math = [q for q in questions if q["category"] in common.NEED_REF_CATS]
question_default = [q for q in questions if q["category"] not in common.NEED_REF_CATS]

# gen_judgment.py's __main__, for --mode single and --mode pairwise-all, with judge gpt-4
with open(os.path.join(HERE, "rendered_judgments.jsonl"), "w") as out:
    for mode, make_judges, make_match, play in [
            ("single", gen_judgment.make_judge_single, gen_judgment.make_match_single, common.play_a_match_single),
            ("pairwise-all", gen_judgment.make_judge_pairwise, gen_judgment.make_match_all_pairs, common.play_a_match_pair)]:
        judges = make_judges("gpt-4", judge_prompts)
        matches = []
        matches += make_match(question_default, models, model_answers, judges["default"], None)
        matches += make_match(question_math, models, model_answers, judges["math"], None, ref_answers)
        matches += make_match(question_default, models, model_answers, judges["default-mt"], None, multi_turn=True)
        matches += make_match(question_math, models, model_answers, judges["math-mt"], None, ref_answers, multi_turn=True)
        for match in matches:
            calls.clear()
            result = play(match, output_file=None)
            result.pop("tstamp")
            out.write(json.dumps({"mode": mode, "calls": list(calls), "result": result}, ensure_ascii=False) + "\n")

# gen_api_answer.py's get_answer for gpt-3.5-turbo (default --max-tokens 1024, one choice)
gen_api_answer.args = argparse.Namespace(force_temperature=None)
with tempfile.TemporaryDirectory() as tmp, open(os.path.join(HERE, "rendered_answer_calls.jsonl"), "w") as out:
    for question in questions:
        calls.clear()
        gen_api_answer.get_answer(question, "gpt-3.5-turbo", 1, 1024, os.path.join(tmp, "answers.jsonl"))
        out.write(json.dumps({"question_id": question["question_id"], "calls": list(calls)}, ensure_ascii=False) + "\n")
