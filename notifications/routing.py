"""Where SMS replies go: each part registers a handler for the conversations it opens.

@routing.handler("trainings.day_before")
def reply(conversation, text) -> str | None: ...   # returns the reply to send, if any
"""

HANDLERS: dict = {}


def handler(kind: str):
    def register(function):
        HANDLERS[kind] = function
        return function

    return register
