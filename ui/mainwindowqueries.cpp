#include "mainwindow.h"

#include "document/evalresult.h"
#include "inferencepanel.h"
#include "kernel/runtime.h"
#include "modelbrowser.h"
#include "trainingpanel.h"
#include "variablesview.h"

// The main window's hidden queries: Kiln's own code run by the runtime between
// the notebook's cells (labels "__kiln:...", which take no evaluation number), to
// list the notebook's models for the panels and its globals for the variables view.

namespace kiln {

namespace {
const QLatin1String kModelsQuery("__kiln:models");
const QLatin1String kVariablesQuery("__kiln:variables");
// Each detail query has its own label, so the outputs of one the user has
// already moved past are dropped.
const QLatin1String kVariableDetailPrefix("__kiln:variable:");

// Lists the global nn modules: records of name, class, parameter count and repr.
const char *const kModelsQueryCode =
    "do\n"
    "  local names = {}\n"
    "  for name, value in pairs(_G) do\n"
    "    if type(name) == 'string' and nn.is_module(value) then names[#names + 1] = name end\n"
    "  end\n"
    "  table.sort(names)\n"
    "  for _, name in ipairs(names) do\n"
    "    local m = _G[name]\n"
    "    io.write(name, '\\31', m.__name or 'Module', '\\31', tostring(m:num_parameters()), '\\31', m:repr(), '\\30')\n"
    "  end\n"
    "end\n";
} // namespace

void MainWindow::queryNotebookModels()
{
    // Only between user cells, and only while someone can see a panel that lists them.
    if (!mModelsStale || mQueryQueued || mRuntime->isBusy() || mRuntime->pendingCount() > 0 || !mModelBrowser
        || !(mModelBrowser->isVisible() || (mTrainingPanel && mTrainingPanel->isVisible())
             || (mInferencePanel && mInferencePanel->isVisible())))
        return;
    mModelsStale = false;
    mQueryQueued = true;
    mQueryOutput.clear();
    mRuntime->evaluate(kModelsQuery, QString::fromLatin1(kModelsQueryCode));
}

void MainWindow::queryVariables()
{
    // As the model list: between user cells, and only while the view is seen.
    if (!mVariablesStale || mVariablesQueued || mRuntime->isBusy() || mRuntime->pendingCount() > 0
        || !mVariablesView || !mVariablesView->isVisible())
        return;
    mVariablesStale = false;
    mVariablesQueued = true;
    mVariablesOutput.clear();
    mRuntime->evaluate(kVariablesQuery, VariablesView::listQuery());
}

void MainWindow::queryVariableDetail(const QString &name, const QString &view)
{
    ++mDetailSerial;
    mRuntime->evaluate(kVariableDetailPrefix + QString::number(mDetailSerial), VariablesView::detailQuery(name, view));
}

bool MainWindow::handleKilnQuery(const QString &cellId, const OutputList *items, const EvalResult *result)
{
    if (cellId == QLatin1String("__kiln:export")) {
        if (result && mExportForTraining && mTrainingPanel) {
            mTrainingPanel->notebookModelExported(mExportPath, result->ok() ? QString() : result->error.message);
        } else if (result && mInferencePanel) {
            if (result->ok())
                mInferencePanel->setModel(mExportPath);
            else
                mInferencePanel->showMessage(tr("Cannot trace the notebook model: %1").arg(result->error.message));
        }
        return true;
    }
    if (cellId == kVariablesQuery) {
        if (items) {
            for (const OutputItem &item : *items)
                mVariablesOutput += item.text;
        }
        if (result) {
            mVariablesQueued = false;
            if (result->ok())
                mVariablesView->setListing(mVariablesOutput);
            else if (result->status == EvalResult::Status::Cancelled)
                mVariablesStale = true;  // dropped with the queue: ask again when idle (a failing one is not retried)
        }
        return true;
    }
    if (cellId.startsWith(kVariableDetailPrefix)) {
        if (cellId != kVariableDetailPrefix + QString::number(mDetailSerial))
            return true;
        if (items)
            mVariablesView->appendDetail(*items);
        if (result) {
            // Errors arrive as outputs; only a cancelled query has none to say why.
            mVariablesView->detailFinished(result->status == EvalResult::Status::Cancelled
                                               ? tr("Not shown: the queue of cells was cancelled. Select the variable again.")
                                               : QString());
        }
        return true;
    }
    if (cellId != kModelsQuery)
        return cellId.startsWith(QLatin1String("__kiln:"));
    if (items) {
        for (const OutputItem &item : *items)
            mQueryOutput += item.text;
    }
    if (result) {
        mQueryQueued = false;
        if (result->ok()) {
            QList<ModelBrowser::NotebookModel> models;
            for (const QString &record : mQueryOutput.split(QChar(30), Qt::SkipEmptyParts)) {
                const QStringList fields = record.split(QChar(31));
                if (fields.size() == 4)
                    models.append({fields.at(0), fields.at(1), fields.at(2).toLongLong(), fields.at(3)});
            }
            mModelBrowser->setNotebookModels(models);
            if (mInferencePanel)
                mInferencePanel->setNotebookModels(mModelBrowser->notebookModelNames());
            if (mTrainingPanel)
                mTrainingPanel->setNotebookModels(mModelBrowser->notebookModelNames());
        }
    }
    return true;
}

} // namespace kiln
