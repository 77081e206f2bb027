"""La médiathèque en un seul fichier : routes, règles de prêt, données, tout ensemble."""

from datetime import date, timedelta

from flask import Flask, jsonify, request

from mediatheque import db


def create_app():
    app = Flask(__name__)
    store = db.new_store()

    def member_loans(member_id):
        return [l for l in store["loans"] if l.member_id == member_id and l.returned_on is None]

    def item_loan(item_id):
        for l in store["loans"]:
            if l.item_id == item_id and l.returned_on is None:
                return l
        return None

    def loan_json(l):
        return {
            "id": l.id,
            "member_id": l.member_id,
            "item_id": l.item_id,
            "start": l.start.isoformat(),
            "due": l.due.isoformat(),
            "returned_on": l.returned_on.isoformat() if l.returned_on else None,
            "late": l.returned_on is None and date.today() > l.due,
        }

    @app.route("/api/items")
    def items():
        # TODO : 5000 documents en vrai... on renvoie tout à chaque appel
        result = []
        for item_id in sorted(store["items"]):
            item = store["items"][item_id]
            result.append(
                {
                    "id": item_id,
                    "title": item["title"],
                    "kind": item["kind"],
                    "available": item_loan(item_id) is None,
                }
            )
        return jsonify({"items": result, "page": 1, "per_page": len(result), "total": len(result)})

    @app.route("/api/items/<int:item_id>")
    def item(item_id):
        if item_id not in store["items"]:
            return jsonify({"error": "item_not_found"}), 404
        item = store["items"][item_id]
        return jsonify(
            {
                "id": item_id,
                "title": item["title"],
                "kind": item["kind"],
                "available": item_loan(item_id) is None,
            }
        )

    @app.route("/api/loans", methods=["POST"])
    def lend():
        try:
            data = request.get_json(force=True)
            member_id = data["member_id"]
            item_id = data["item_id"]
            if not isinstance(member_id, int) or not isinstance(item_id, int):
                return jsonify({"error": "bad_request"}), 400
            if member_id not in store["members"]:
                return jsonify({"error": "member_not_found"}), 404
            if item_id not in store["items"]:
                return jsonify({"error": "item_not_found"}), 404
            if item_loan(item_id):
                return jsonify({"error": "item_already_lent"}), 409
            queue = store["reservations"].get(item_id, [])
            if queue and queue[0] != member_id:
                return jsonify({"error": "item_reserved"}), 409
            loans = member_loans(member_id)
            for l in loans:
                if date.today() > l.due:
                    return jsonify({"error": "late_loan_pending"}), 409
            if len(loans) >= 5:
                return jsonify({"error": "loan_limit_reached"}), 409
            loan = db.Loan(
                len(store["loans"]) + 1, member_id, item_id, date.today(),
                date.today() + timedelta(days=db.LOAN_DAYS[store["items"][item_id]["kind"]]),
            )
            store["loans"].append(loan)
            if queue:
                queue.pop(0)
            return jsonify(loan_json(loan)), 201
        except KeyError:
            return jsonify({"error": "bad_request"}), 400
        except Exception as e:
            return jsonify({"error": str(e)}), 500

    @app.route("/api/returns", methods=["POST"])
    def give_back():
        data = request.get_json(force=True)
        if not isinstance(data, dict) or not isinstance(data.get("item_id"), int):
            return jsonify({"error": "bad_request"}), 400
        item_id = data["item_id"]
        if item_id not in store["items"]:
            return jsonify({"error": "item_not_found"}), 404
        loan = item_loan(item_id)
        if loan is None:
            return jsonify({"error": "item_not_lent"}), 409
        loan.returned_on = date.today()
        return jsonify(loan_json(loan))

    @app.route("/api/members/<int:member_id>/loans")
    def loans_of(member_id):
        if member_id not in store["members"]:
            return jsonify({"error": "member_not_found"}), 404
        loans = sorted(member_loans(member_id), key=lambda l: (l.due, l.id))
        return jsonify({"member_id": member_id, "loans": [loan_json(l) for l in loans]})

    @app.route("/api/reservations", methods=["POST"])
    def reserve():
        data = request.get_json(force=True)
        member_id, item_id = data.get("member_id"), data.get("item_id")
        if member_id not in store["members"] or item_id not in store["items"]:
            return jsonify({"error": "not_found"}), 404
        queue = store["reservations"].setdefault(item_id, [])
        if member_id in queue:
            return jsonify({"error": "item_already_reserved"}), 409
        queue.append(member_id)
        return jsonify({"id": sum(map(len, store["reservations"].values())), "member_id": member_id,
                        "item_id": item_id}), 201

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
