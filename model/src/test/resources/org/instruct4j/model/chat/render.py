"""Renders real chat templates as transformers' apply_chat_template does, for instruct4j's ChatTemplate tests.

Usage: python3 render.py > rendered.json   (reads templates.json beside it)

The environment is the one transformers builds in src/transformers/utils/chat_template_utils.py, _compile_jinja_template
(huggingface/transformers at 5e43e2e892453b405ce6d2cb94387b3a3213f30a): Jinja2's ImmutableSandboxedEnvironment with
trim_blocks and lstrip_blocks, the loopcontrols extension, its own tojson filter and the raise_exception and
strftime_now globals (its AssistantTracker extension only adds the {% generation %} tag, which these templates do not
use). apply_chat_template renders with messages, add_generation_prompt and the tokenizer's special tokens (here bos_token
and eos_token, when the model has them). Made with Debian bookworm's python3 3.11 and python3-jinja2 3.1.2.
"""
import json
import os
from datetime import datetime

import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return datetime.now().strftime(format)


environment = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
environment.filters["tojson"] = tojson
environment.globals["raise_exception"] = raise_exception
environment.globals["strftime_now"] = strftime_now

system = {"role": "system", "content": "You are a concise assistant."}
conversations = {
    "one question": ([{"role": "user", "content": "Name a color."}], True),
    "one exchange": ([{"role": "user", "content": "Name a color."}, {"role": "assistant", "content": "Blue."}], False),
    "two exchanges, padded": ([{"role": "user", "content": "  Hi there  "}, {"role": "assistant", "content": " Hello! \n"},
                               {"role": "user", "content": "What is {{ 1 + 1 }}? Café, 中文."},
                               {"role": "assistant", "content": "It is 2."}], False),
    "system and a question": ([system, {"role": "user", "content": "Name a color."}], True),
    "system and two exchanges": ([system, {"role": "user", "content": "Name a color."}, {"role": "assistant", "content": "Blue."},
                                  {"role": "user", "content": "Another?"}, {"role": "assistant", "content": "Red."}], False),
    "roles out of order": ([{"role": "assistant", "content": "Hi."}, {"role": "user", "content": "Hello."}], True),
}

here = os.path.dirname(os.path.abspath(__file__))
results = []
for spec in json.load(open(os.path.join(here, "templates.json"))):
    template = environment.from_string(spec["chat_template"])
    tokens = {k: spec[k] for k in ("bos_token", "eos_token") if spec[k] is not None}
    for name, (messages, add_generation_prompt) in conversations.items():
        result = {"template": spec["name"], "conversation": name, "messages": messages,
                  "add_generation_prompt": add_generation_prompt}
        try:
            result["rendered"] = template.render(messages=messages, add_generation_prompt=add_generation_prompt, **tokens)
        except jinja2.exceptions.TemplateError as e:
            result["error"] = str(e)
        results.append(result)
print(json.dumps(results, indent=1, ensure_ascii=False))
